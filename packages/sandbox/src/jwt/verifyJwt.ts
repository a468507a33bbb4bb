import { verify } from "node:crypto";
import type { SigningKey } from "./createSigningKey";

const base64url = /^[A-Za-z0-9_-]+$/;

/** How many verified tokens {@link verifyJwt} remembers per key. */
const maxRemembered = 4096;
/** The payloads of tokens whose signature checked out, per key, by the exact token string. */
const verifiedTokens = new WeakMap<SigningKey, Map<string, Record<string, unknown>>>();

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a compact JWS signed by {@link signJwt}: three base64url parts, header `alg: "ES256"` with this
 * key's `kid`, and a valid 64-byte `r‖s` signature (RFC 7515 §5.2) in canonical base64url (any other
 * spelling of the same bytes is refused). Claims are not checked here.
 *
 * A token whose signature checked out is remembered (the last {@link maxRemembered} per key), so a client
 * sending the same access token again costs no second signature check: the answer is the same.
 *
 * @returns the payload, or `undefined` when anything is off (never throws).
 */
export function verifyJwt(token: string, key: SigningKey): Record<string, unknown> | undefined {
  let remembered = verifiedTokens.get(key);
  const known = remembered?.get(token);
  if (known !== undefined) return { ...known };
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  if (!base64url.test(header) || !base64url.test(payload) || !base64url.test(signature)) return undefined;
  const headerJson = decodeJsonObject(header);
  if (headerJson?.alg !== "ES256" || headerJson.kid !== key.kid) return undefined;
  const signatureBytes = Buffer.from(signature, "base64url");
  // Only the one canonical spelling: 64 bytes leave 4 unused bits in the last character, and a token
  // with them changed is not the token that was issued.
  if (signatureBytes.length !== 64 || signatureBytes.toString("base64url") !== signature) return undefined;
  const valid = verify(
    "sha256",
    Buffer.from(`${header}.${payload}`, "ascii"),
    {
      key: key.publicKey,
      dsaEncoding: "ieee-p1363",
    },
    signatureBytes,
  );
  const claims = valid ? decodeJsonObject(payload) : undefined;
  if (claims === undefined) return undefined;
  if (remembered === undefined) {
    remembered = new Map();
    verifiedTokens.set(key, remembered);
  }
  // Oldest first out: a Map iterates in insertion order.
  if (remembered.size >= maxRemembered) remembered.delete(remembered.keys().next().value as string);
  remembered.set(token, deepFreeze(claims));
  return { ...claims };
}

/** `value` with every object in it frozen, so what is remembered cannot be changed through a copy. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
