import type { ClientOptions } from "../options/ClientOptions";
import { randomBase64url } from "./base64url";

/**
 * Makes an OAuth2 `state` value (RFC 6749 §10.12, CSRF protection): 32 bytes from the platform's CSPRNG
 * (WebCrypto), as 43 base64url characters. Pass it as the `state` option of `new Client`
 * ({@link ClientOptions.state}) both when building the login URL and when handling the redirect back;
 * `fetchToken` refuses a callback that carries another one.
 *
 * @returns a new state, 43 characters of `[A-Za-z0-9_-]`.
 * @throws {TypeError} when the platform has no WebCrypto.
 *
 * @example
 * const state = createState(); // keep it in the user's session for the callback
 * const redirectUri = "https://app.example.com/callback";
 * const client = new Client({ clientId: "my-client", clientSecret: "…", redirectUri, state });
 * const loginPage = await client.auth.tokenManager.getAuthUri(); // redirect the user there
 */
export function createState(): string {
  return randomBase64url(32);
}
