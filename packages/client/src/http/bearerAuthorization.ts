import { NoTokenError } from "../errors/NoTokenError";
import type { Token } from "../token/Token";

/**
 * The `Authorization: Bearer …` header (RFC 6750 §2.1) every `/api/user/*` call carries.
 *
 * @param source - the call, e.g. `POST /api/user/devices`, for the error message.
 * @throws {NoTokenError} when there is no token; nothing is sent then.
 * @example
 * const headers = bearerAuthorization(client.auth.tokenManager.token, "POST /api/user/devices");
 */
export function bearerAuthorization(token: Token | null, source: string): { authorization: string } {
  if (token === null) throw new NoTokenError(source);
  return { authorization: `Bearer ${token.accessToken}` };
}
