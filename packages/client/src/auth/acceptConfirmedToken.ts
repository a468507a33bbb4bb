import type { ConfirmedTokenResponse } from "@kontist-auth/protocol";
import type { Token } from "../token/Token";
import type { TokenManager } from "./TokenManager";

/**
 * Makes a confirmed token (the answer of a verified device challenge or of a verified push challenge) the
 * client's current token. Its `refresh_token`, when the API sends one, is a confirmed refresh token and
 * replaces the stored one, so renewals stay confirmed; when it sends none, the current refresh token is
 * kept. With a token store, resolves once the store has it (written under the store's lock, so a
 * renewal running elsewhere cannot overwrite it with an unconfirmed token).
 *
 * @returns the confirmed token, now the current one.
 * @throws {TokenStoreError} when the token store failed to keep it (the client holds it in memory); never
 *   because of an earlier, unrelated store failure.
 * @throws {TypeError} when `body.token` is empty (the schema has already refused that).
 * @example
 * import { confirmedTokenResponseSchema } from "@kontist-auth/protocol";
 * import { processApiResponse } from "../http/processApiResponse";
 * import type { TransportResponse } from "../http/Transport";
 * declare const response: TransportResponse;
 * const body = processApiResponse(response, confirmedTokenResponseSchema);
 * const token = await acceptConfirmedToken(client.auth.tokenManager, body);
 */
export async function acceptConfirmedToken(
  tokenManager: TokenManager,
  body: ConfirmedTokenResponse,
): Promise<Token> {
  const current = tokenManager.token;
  // Waits for this token's write alone: an older, unrelated store failure is not this confirmation's.
  return tokenManager.storeToken(body.token, body.refresh_token ?? current?.refreshToken, current?.tokenType);
}
