/**
 * The browser's OAuth2 building blocks, for an app that runs the authorization code flow itself (a
 * `Client` runs it with `getAuthUri` / `fetchToken` and needs only `createState` and `createPkceVerifier`
 * from here).
 *
 * @module @kontist-auth/client/oauth
 */
export { type AuthorizeInIframeOptions, authorizeInIframe } from "./authorizeInIframe";
export { createCodeChallenge } from "./createCodeChallenge";
export { createPkceVerifier } from "./createPkceVerifier";
export { createState } from "./createState";
export { type LogoutInIframeOptions, logoutInIframe } from "./logoutInIframe";
