import type { TokenEndpointConfig } from "../tokenEndpoint/requestToken";

/** What a silent renewal needs of the client. */
export interface SilentRenewalConfig extends TokenEndpointConfig {
  /** The API's base URL without a trailing slash. */
  baseUrl: string;
  /** The scopes to ask for. */
  scopes: readonly string[];
  /** The redirect URI of the authorization code flow. */
  redirectUri?: string | undefined;
  /** The client's PKCE verifier: only a PKCE client renews silently. */
  verifier?: string | undefined;
  /** Milliseconds the hidden iframe may take to answer. */
  silentRenewalTimeout: number;
}

/**
 * Whether the client renews silently: a PKCE client (`verifier` and `redirectUri` set) in a browser,
 * through the authorization endpoint in a hidden iframe.
 *
 * @example
 * declare const config: SilentRenewalConfig;
 * if (canRenewSilently(config)) await (await import("./silentRenewal")).renewSilently(config);
 */
export function canRenewSilently(config: Pick<SilentRenewalConfig, "verifier" | "redirectUri">): boolean {
  return (
    config.verifier !== undefined &&
    config.redirectUri !== undefined &&
    globalThis.window?.document !== undefined
  );
}
