import {
  type AuthorizationCodeTokenRequest,
  type PasswordTokenRequest,
  parseScope,
  paths,
  type RefreshTokenRequest,
} from "@kontist-auth/protocol";
import type { Transport } from "../http/Transport";
import { Token } from "../token/Token";
import { type ClientCredentials, clientAuthentication, requireClientId } from "./clientAuthentication";
import { processTokenResponse } from "./processTokenResponse";

/** What a token request needs of the client: its transport and its credentials. */
export interface TokenEndpointConfig extends Omit<ClientCredentials, "clientId"> {
  /** The OAuth2 client id; without one, every grant throws a `TypeError`. */
  clientId?: string | undefined;
  transport: Transport;
}

/** The grants the client sends to `POST /api/oauth/token`. */
export type TokenRequest = PasswordTokenRequest | RefreshTokenRequest | AuthorizationCodeTokenRequest;

/** How {@link requestToken} sends a request and reads its answer. */
export interface RequestTokenOptions {
  /** Values to redact from every error: the password, code, verifier or refresh token sent. */
  secrets: readonly (string | undefined)[];
  /** The scopes asked for: the token's scopes when the answer names none (RFC 6749 §5.1). */
  requestedScopes: readonly string[];
  /** The refresh token to keep when the answer has none (a refresh token grant). */
  previousRefreshToken?: string | undefined;
  /** Aborts the request. */
  signal?: AbortSignal | undefined;
}

/**
 * The request step of `POST /api/oauth/token` (RFC 6749 §3.2): sends `request` form-encoded with the
 * client's authentication (see {@link clientAuthentication}), processes the answer
 * ({@link processTokenResponse}) and makes a {@link Token} of it. The grant functions
 * (`passwordGrant`, `authorizationCodeGrant`, `refreshTokenGrant`) build `request`.
 *
 * @throws {TypeError} when the client has no `clientId`; nothing is sent.
 * @throws {OAuth2Error} / {@link HttpError} / {@link UnauthorizedError} / {@link ResponseValidationError}
 *   as {@link processTokenResponse}; {@link NetworkError} / {@link TimeoutError} as `Transport.send`.
 * @example
 * declare const config: TokenEndpointConfig;
 * const request: TokenRequest = { grant_type: "refresh_token", refresh_token: "rt-1" };
 * const token = await requestToken(config, request, { secrets: ["rt-1"], requestedScopes: [] });
 */
export async function requestToken(
  config: TokenEndpointConfig,
  request: TokenRequest,
  options: RequestTokenOptions,
): Promise<Token> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(request)) if (value !== undefined) form.set(name, value);
  const clientId = requireClientId(config.clientId, `The ${request.grant_type} grant`);
  const headers = clientAuthentication(form, { ...config, clientId });
  const basicCredentials = headers.authorization?.replace(/^Basic /, "");
  const response = await config.transport.send({
    method: "POST",
    path: paths.token,
    headers,
    form,
    secrets: [...options.secrets, config.clientSecret, headers.authorization, basicCredentials],
    signal: options.signal,
  });
  const body = processTokenResponse(response);
  const issuedAt = new Date();
  const { requestedScopes } = options;
  return new Token({
    accessToken: body.access_token,
    refreshToken: body.refresh_token ?? options.previousRefreshToken,
    tokenType: body.token_type,
    // processTokenResponse has checked expires_in (1 s to 10 years), so this is a valid date.
    expiresAt:
      body.expires_in === undefined ? undefined : new Date(issuedAt.getTime() + body.expires_in * 1000),
    issuedAt,
    // RFC 6749 §5.1: no `scope` in the answer means the requested scopes were granted.
    scopes:
      body.scope !== undefined
        ? parseScope(body.scope)
        : requestedScopes.length > 0
          ? requestedScopes
          : undefined,
  });
}
