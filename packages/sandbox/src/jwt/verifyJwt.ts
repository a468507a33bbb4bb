import { verify } from "node:crypto";
import type { SigningKey } from "./createSigningKey";

const base64url = /^[A-Za-z0-9_-]+$/;

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
 * @returns the payload, or `undefined` when anything is off (never throws).
 */
export function verifyJwt(token: string, key: SigningKey): Record<string, unknown> | undefined {
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
  return valid ? decodeJsonObject(payload) : undefined;
}
