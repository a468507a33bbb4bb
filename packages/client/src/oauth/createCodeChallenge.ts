import { codeVerifierPattern } from "@kontist-auth/protocol";
import { base64url } from "./base64url";

/**
 * The S256 code challenge of a PKCE verifier (RFC 7636 §4.2):
 * `BASE64URL(SHA256(ASCII(code_verifier)))`, hashed with WebCrypto.
 *
 * @returns 43 base64url characters.
 * @throws {TypeError} when `verifier` is not 43 to 128 unreserved characters, or the platform has no
 *   WebCrypto (`crypto.subtle`).
 *
 * @example
 * // RFC 7636 Appendix B
 * await createCodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
 * // "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
 */
export async function createCodeChallenge(verifier: string): Promise<string> {
  if (typeof verifier !== "string" || !codeVerifierPattern.test(verifier)) {
    throw new TypeError("createCodeChallenge: a PKCE verifier is 43 to 128 characters of [A-Za-z0-9-._~].");
  }
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) {
    throw new TypeError("No WebCrypto here: globalThis.crypto.subtle is needed to hash the PKCE verifier.");
  }
  const digest = await subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}
