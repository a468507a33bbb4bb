import type { RenewalConfig } from "../renewal/TokenRenewal";
import type { TokenStoreSyncConfig } from "../renewal/TokenStoreSync";
import type { Token } from "../token/Token";
import type { AuthorizationCodeFlowConfig } from "./authorizationCodeFlow";

/** Options of `client.auth.tokenManager.fetchTokenFromCredentials`. */
export interface FetchTokenFromCredentialsOptions {
  /** The user's login, e.g. their email address. */
  username: string;
  /** The user's password. */
  password: string;
  /** The scopes to ask for; default: the client's `scopes`. Ask for `offline` to get a refresh token. */
  scopes?: readonly string[] | undefined;
}

/**
 * Called with the new current token whenever it changes (a login, a refresh, `setToken`, a confirmed
 * token from device or push MFA), and with `null` when it is cleared.
 */
export type TokenChangeListener = (token: Token | null) => void;

/**
 * What a `TokenManager` needs from its client: the resolved client options (see `resolveClientOptions`)
 * and the transport.
 */
export interface TokenManagerConfig extends AuthorizationCodeFlowConfig, RenewalConfig, TokenStoreSyncConfig {
  /** The URL that ends the login session in a browser. */
  logoutUri: string;
}
