import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";

/** The public half of the signing key as a JWK (RFC 7517), as `GET /sandbox/jwks.json` publishes it. */
export interface SandboxPublicJwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  /** The RFC 7638 thumbprint of the key; JWT headers carry it as `kid`. */
  kid: string;
  alg: "ES256";
  use: "sig";
}

/** The ES256 key pair the sandbox signs access tokens with. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  publicJwk: SandboxPublicJwk;
}

/**
 * Generates a fresh P-256 key pair for signing access tokens (ES256, RFC 7518 §3.4). Its `kid` is the
 * JWK thumbprint (RFC 7638), so tokens of an earlier run never verify against a new sandbox.
 */
export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  if (typeof jwk.x !== "string" || typeof jwk.y !== "string") {
    throw new Error("node:crypto exported an EC public key without coordinates.");
  }
  // RFC 7638 §3.2: the required members, in lexicographic order, no whitespace.
  const thumbprintInput = JSON.stringify({ crv: "P-256", kty: "EC", x: jwk.x, y: jwk.y });
  const kid = createHash("sha256").update(thumbprintInput).digest("base64url");
  return {
    privateKey,
    publicKey,
    kid,
    publicJwk: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, kid, alg: "ES256", use: "sig" },
  };
}
