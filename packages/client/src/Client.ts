import { DeviceAuth } from "./auth/DeviceAuth";
import { TokenManager } from "./auth/TokenManager";
import { Transport } from "./http/Transport";
import type { TokenStore } from "./token/TokenStore";

/**
 * Options of {@link Client}. The names follow Kontist's own JS SDK.
 *
 * @example
 * const options: ClientOptions = { clientId: "demo-client", clientSecret: "demo-secret", scopes: ["users"] };
 */
export interface ClientOptions {
  /** The API's base URL; default `https://api.kontist.com`. Point it at `@kontist-auth/sandbox` to develop. */
  baseUrl?: string | undefined;
  /** The OAuth2 client id. */
  clientId: string;
  /**
   * The OAuth2 client secret of a confidential client; leave it out for a public (PKCE) client. With a
   * secret the client authenticates by HTTP Basic (RFC 6749 §2.3.1), without one by `client_id` alone.
   * Never ship a secret to a browser.
   */
  clientSecret?: string | undefined;
  /** Default scopes to ask for, e.g. `["users", "offline"]` (`offline` for a refresh token). */
  scopes?: readonly string[] | undefined;
  /** The redirect URI of the authorization code flow (RFC 6749 §3.1.2). Kept for that flow. */
  redirectUri?: string | undefined;
  /** The `state` of the authorization code flow (RFC 6749 §10.12). Kept for that flow. */
  state?: string | undefined;
  /** The PKCE code verifier (RFC 7636 §4.1). Kept for that flow. */
  verifier?: string | undefined;
  /** Where to keep the token between runs. Kept; reading and writing it comes in a later release. */
  tokenStore?: TokenStore | undefined;
  /** A fetch implementation to send requests with (a proxy agent, a test double); default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Milliseconds a request may take, answer and body included, before it is aborted; default 10 000. */
  timeout?: number | undefined;
}

/** The Kontist API's base URL, the default of {@link ClientOptions.baseUrl}. */
export const defaultBaseUrl = "https://api.kontist.com";

/** The longest timeout timers support (2^31 − 1 ms, about 24.8 days). */
const maxTimeout = 2_147_483_647;

/** The default request timeout in milliseconds, the default of {@link ClientOptions.timeout}. */
export const defaultTimeout = 10_000;

/**
 * A client of the Kontist API: OAuth2 tokens (`auth.tokenManager`) and device binding and device MFA
 * (`auth.device`). Requests go through ky to `baseUrl`; every answer is checked against its schema from
 * `@kontist-auth/protocol` and every failure is a typed error with a stable `code`.
 *
 * Works in Node (20.19+) and browsers alike; nothing in it needs a Node built-in.
 *
 * @throws {TypeError} when `clientId` is missing, `baseUrl` is not an absolute http(s) URL or `timeout`
 *   is not a positive number.
 *
 * @example
 * import { Client } from "@kontist-auth/client";
 *
 * const client = new Client({ clientId: "my-client", clientSecret: "…", scopes: ["users", "offline"] });
 * const token = await client.auth.tokenManager.fetchTokenFromCredentials({ username, password });
 */
export class Client {
  /** Authentication: `tokenManager` (OAuth2 tokens) and `device` (device binding and device MFA). */
  readonly auth: { readonly tokenManager: TokenManager; readonly device: DeviceAuth };

  constructor(options: ClientOptions) {
    const { clientId, clientSecret, baseUrl = defaultBaseUrl, timeout = defaultTimeout } = options ?? {};
    if (typeof clientId !== "string" || clientId === "") {
      throw new TypeError("Client: clientId must be a non-empty string.");
    }
    if (!isHttpUrl(baseUrl)) {
      throw new TypeError("Client: baseUrl must be an absolute http(s) URL.");
    }
    if (typeof timeout !== "number" || !(timeout > 0) || timeout > maxTimeout) {
      throw new TypeError("Client: timeout must be a positive number of milliseconds.");
    }
    const transport = new Transport({ baseUrl, fetch: options.fetch, timeout });
    const tokenManager = new TokenManager({
      transport,
      clientId,
      clientSecret,
      scopes: [...(options.scopes ?? [])],
      redirectUri: options.redirectUri,
      state: options.state,
      verifier: options.verifier,
      tokenStore: options.tokenStore,
    });
    this.auth = Object.freeze({ tokenManager, device: new DeviceAuth({ transport, tokenManager }) });
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string" || !/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
