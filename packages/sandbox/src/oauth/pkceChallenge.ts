import { createHash } from "node:crypto";

/**
 * The S256 code challenge of a PKCE code verifier: BASE64URL(SHA256(ASCII(code_verifier))), RFC 7636
 * §4.2.
 *
 * @example
 * pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); // "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
 */
export function pkceChallenge(codeVerifier: string): string {
  return createHash("sha256").update(codeVerifier, "ascii").digest("base64url");
}
