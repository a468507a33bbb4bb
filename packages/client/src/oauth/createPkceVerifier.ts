import type { ClientOptions } from "../options/ClientOptions";
import { randomBase64url } from "./base64url";

/**
 * Makes a PKCE code verifier (RFC 7636 §4.1): 32 bytes from the platform's CSPRNG (WebCrypto), as 43
 * base64url characters, which is the length and entropy the RFC recommends. Pass it as the `verifier`
 * option of `new Client` ({@link ClientOptions.verifier}), and keep it (with the `state`) until the user
 * comes back from the login page.
 *
 * @returns a new verifier, 43 characters of `[A-Za-z0-9_-]`.
 * @throws {TypeError} when the platform has no WebCrypto.
 *
 * @example
 * import { createState } from "@kontist-auth/client/oauth";
 *
 * const verifier = createPkceVerifier();
 * const state = createState();
 * sessionStorage.setItem("pkce", JSON.stringify({ verifier, state }));
 * const redirectUri = `${location.origin}/callback`;
 * const client = new Client({ clientId: "my-public-client", redirectUri, verifier, state });
 * location.assign(await client.auth.tokenManager.getAuthUri());
 */
export function createPkceVerifier(): string {
  return randomBase64url(32);
}
