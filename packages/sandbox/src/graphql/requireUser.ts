import { ApiError } from "../http/ApiError";
import type { AccessTokenClaims } from "../jwt/AccessTokenClaims";
import type { UserRecord } from "../state/SandboxStore";
import type { GraphQLContext } from "./GraphQLContext";

/**
 * The user a GraphQL field needs: the bearer token's, when the request carried a valid one.
 *
 * @throws {ApiError} 401 without a valid, unexpired token (the field resolves to null with an error whose
 *   `extensions.status` is 401, in a 200 answer, as Kontist does).
 * @example
 * const { user } = requireUser(context);
 */
export function requireUser(context: GraphQLContext): { claims: AccessTokenClaims; user: UserRecord } {
  const { authentication } = context;
  if (!authentication.ok) throw new ApiError(401, authentication.message);
  return { claims: authentication.claims, user: authentication.user };
}
