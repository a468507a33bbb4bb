import type { ConfirmedTokenResponse } from "@kontist-auth/protocol";
import type { Token } from "../token/Token";
import type { TokenManager } from "./TokenManager";

/**
 * Makes a confirmed token (the answer of a verified device challenge or of a verified push challenge) the
 * client's current token. Its `refresh_token`, when the API sends one, is a confirmed refresh token and
 * replaces the stored one, so renewals stay confirmed; when it sends none, the current refresh token is
 * kept.
 *
 * @returns the confirmed token, now the current one.
 * @throws {TypeError} when `body.token` is empty (the schema has already refused that).
 * @example
 * const token = acceptConfirmedToken(tokenManager, processApiResponse(response, confirmedTokenResponseSchema));
 */
export function acceptConfirmedToken(tokenManager: TokenManager, body: ConfirmedTokenResponse): Token {
  const current = tokenManager.token;
  return tokenManager.setToken(body.token, body.refresh_token ?? current?.refreshToken, current?.tokenType);
}
