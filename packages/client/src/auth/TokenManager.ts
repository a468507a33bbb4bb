import {
  formatScope,
  type PasswordTokenRequest,
  parseScope,
  paths,
  type RefreshTokenRequest,
} from "@kontist-auth/protocol";
import { TokenRenewalError } from "../errors/TokenRenewalError";
import { processTokenResponse } from "../http/processTokenResponse";
import type { Transport } from "../http/Transport";
import { Token } from "../token/Token";
import type { TokenStore } from "../token/TokenStore";
import { type ClientCredentials, clientAuthentication } from "./clientAuthentication";

/** Options of {@link TokenManager.fetchTokenFromCredentials}. */
export interface FetchTokenFromCredentialsOptions {
  /** The user's login, e.g. their email address. */
  username: string;
  /** The user's password. */
  password: string;
  /** The scopes to ask for; default: the client's `scopes`. Ask for `offline` to get a refresh token. */
  scopes?: readonly string[] | undefined;
}

/** What a {@link TokenManager} needs from its client. */
export interface TokenManagerConfig extends ClientCredentials {
  transport: Transport;
  /** Default scopes of password grants. */
  scopes: readonly string[];
  /** Kept for the authorization code flow. */
  redirectUri?: string | undefined;
  /** Kept for the authorization code flow. */
  state?: string | undefined;
  /** Kept for the PKCE flow. */
  verifier?: string | undefined;
  /** Kept for persisting tokens. */
  tokenStore?: TokenStore | undefined;
}

/**
 * Gets, renews and holds the client's OAuth2 token (`client.auth.tokenManager`). One token at a time:
 * every call that gets a token makes it the current one, {@link TokenManager.token}, which the
 * `/api/user/*` calls send as `Authorization: Bearer`.
 *
 * @example
 * const client = new Client({ clientId, clientSecret, scopes: ["users", "offline"] });
 * await client.auth.tokenManager.fetchTokenFromCredentials({ username, password });
 * const renewed = await client.auth.tokenManager.refresh();
 */
export class TokenManager {
  readonly #config: TokenManagerConfig;
  #token: Token | null = null;
  #refreshing: Promise<Token> | undefined;

  /** Made by {@link Client}; use `client.auth.tokenManager`. */
  constructor(config: TokenManagerConfig) {
    this.#config = config;
  }

  /** The current token, or `null` before one was fetched or set. */
  get token(): Token | null {
    return this.#token;
  }

  /**
   * Logs in with the user's credentials: the resource owner password credentials grant
   * (RFC 6749 §4.3), form-encoded to `POST /api/oauth/token`. The client authenticates with HTTP Basic
   * when it has a client secret, else with `client_id` in the body. The answer becomes the current token.
   *
   * @returns the new token; its `scopes` are the granted ones (the requested ones when the server does
   *   not say, RFC 6749 §5.1).
   * @throws {OAuth2Error} when the server refuses, e.g. `invalid_grant` for wrong credentials (400) or
   *   `invalid_client` for a wrong client secret (401).
   * @throws {HttpError} / {@link UnauthorizedError} for another error answer.
   * @throws {ResponseValidationError} when the answer is not a token response (names the field).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   * @throws {TypeError} when `username` or `password` is empty.
   *
   * @example
   * const token = await client.auth.tokenManager.fetchTokenFromCredentials({
   *   username: "demo@example.com",
   *   password: "demo-password",
   *   scopes: ["users", "offline"],
   * });
   */
  async fetchTokenFromCredentials(options: FetchTokenFromCredentialsOptions): Promise<Token> {
    const { username, password } = options;
    if (typeof username !== "string" || username === "") {
      throw new TypeError("fetchTokenFromCredentials: username must be a non-empty string.");
    }
    if (typeof password !== "string" || password === "") {
      throw new TypeError("fetchTokenFromCredentials: password must be a non-empty string.");
    }
    const scopes = options.scopes ?? this.#config.scopes;
    const request: PasswordTokenRequest = { grant_type: "password", username, password };
    if (scopes.length > 0) request.scope = formatScope(scopes);
    const token = await this.#requestToken(request, [password], scopes, undefined);
    this.#token = token;
    return token;
  }

  /**
   * Renews the current token with its refresh token: the refresh token grant (RFC 6749 §6). The answer
   * becomes the current token; when it has no `refresh_token`, the one used is kept (Kontist's refresh
   * tokens can be used many times). A confirmed refresh token yields a confirmed access token.
   *
   * Concurrent calls share one request and get the same token. A failed refresh leaves the current
   * token as it was: a network error never discards the refresh token, so the call can be repeated.
   * Should the token be replaced (`setToken`, a device confirmation) while a refresh runs, the refresh
   * still resolves with its token but does not overwrite the newer one.
   *
   * @throws {TokenRenewalError} when there is no refresh token (no token, or one without `offline`).
   * @throws {OAuth2Error} when the server refuses, e.g. `invalid_grant` for an expired refresh token.
   * @throws {HttpError} / {@link UnauthorizedError} for another error answer.
   * @throws {ResponseValidationError} when the answer is not a token response (names the field).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * const token = await client.auth.tokenManager.refresh();
   * token.confirmed; // true when the refresh token came from a device confirmation
   */
  refresh(): Promise<Token> {
    if (this.#refreshing === undefined) {
      this.#refreshing = this.#refresh().finally(() => {
        this.#refreshing = undefined;
      });
    }
    return this.#refreshing;
  }

  /**
   * Makes a token the client already has the current one, e.g. one restored from storage or obtained
   * elsewhere. Replaces the current token, refresh token included. Expiry, scopes and `confirmed` come
   * from the JWT claims (unverified), when it is a JWT.
   *
   * @param accessToken - the access token.
   * @param refreshToken - its refresh token, if any.
   * @param tokenType - default `Bearer`.
   * @returns the new current token.
   * @throws {TypeError} when `accessToken` is empty.
   *
   * @example
   * client.auth.tokenManager.setToken(saved.accessToken, saved.refreshToken);
   */
  setToken(accessToken: string, refreshToken?: string, tokenType?: string): Token {
    const token = new Token({ accessToken, refreshToken, tokenType });
    this.#token = token;
    return token;
  }

  async #refresh(): Promise<Token> {
    const current = this.#token;
    const refreshToken = current?.refreshToken;
    if (current === null || refreshToken === undefined) {
      throw new TokenRenewalError(
        current === null
          ? "Cannot refresh: the client has no token. Log in first."
          : "Cannot refresh: the current token has no refresh token (ask for the `offline` scope).",
      );
    }
    const request: RefreshTokenRequest = { grant_type: "refresh_token", refresh_token: refreshToken };
    const token = await this.#requestToken(
      request,
      [refreshToken, current.accessToken],
      current.scopes,
      refreshToken,
    );
    if (this.#token === current) this.#token = token;
    return token;
  }

  /** Sends a token request and makes a {@link Token} of the answer. */
  async #requestToken(
    request: PasswordTokenRequest | RefreshTokenRequest,
    secrets: readonly string[],
    requestedScopes: readonly string[],
    previousRefreshToken: string | undefined,
  ): Promise<Token> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(request)) if (value !== undefined) form.set(name, value);
    const headers = clientAuthentication(form, this.#config);
    const response = await this.#config.transport.send({
      method: "POST",
      path: paths.token,
      headers,
      form,
      secrets: [...secrets, this.#config.clientSecret, headers.authorization],
    });
    const body = processTokenResponse(response);
    return new Token({
      accessToken: body.access_token,
      refreshToken: body.refresh_token ?? previousRefreshToken,
      tokenType: body.token_type,
      expiresAt: body.expires_in === undefined ? undefined : new Date(Date.now() + body.expires_in * 1000),
      // RFC 6749 §5.1: no `scope` in the answer means the requested scopes were granted.
      scopes:
        body.scope !== undefined
          ? parseScope(body.scope)
          : requestedScopes.length > 0
            ? requestedScopes
            : undefined,
    });
  }
}
