import { sign } from "node:crypto";
import type { SigningKey } from "./createSigningKey";

const base64urlJson = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

// The encoded JOSE header of each key and token type: the same for every token, so encoded once.
const encodedHeaders = new WeakMap<SigningKey, Map<string, string>>();

function encodedHeader(key: SigningKey, type: string): string {
  let byType = encodedHeaders.get(key);
  if (byType === undefined) {
    byType = new Map();
    encodedHeaders.set(key, byType);
  }
  let header = byType.get(type);
  if (header === undefined) {
    header = base64urlJson({ alg: "ES256", typ: type, kid: key.kid });
    byType.set(type, header);
  }
  return header;
}

/**
 * Signs `payload` as a compact JWS with ES256 (RFC 7515 §7.1, RFC 7518 §3.4: the signature is the raw
 * `r‖s`, 64 bytes, not DER). The signature is computed off the event loop (libuv's thread pool), so
 * requests keep being served while it runs.
 *
 * @returns a promise of the JWS; it rejects only if `node:crypto` cannot sign with the key.
 */
export function signJwt(payload: Record<string, unknown>, key: SigningKey, type: string): Promise<string> {
  const signingInput = `${encodedHeader(key, type)}.${base64urlJson(payload)}`;
  return new Promise((resolve, reject) => {
    sign(
      "sha256",
      Buffer.from(signingInput, "ascii"),
      { key: key.privateKey, dsaEncoding: "ieee-p1363" },
      (error, signature) => {
        if (error === null) resolve(`${signingInput}.${signature.toString("base64url")}`);
        else reject(error);
      },
    );
  });
}
