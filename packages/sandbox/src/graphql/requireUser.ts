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
 * import type { GraphQLContext } from "./GraphQLContext";
 *
 * // The resolver of `viewer`: 401 without a valid token.
 * const viewer = (_args: unknown, context: GraphQLContext) => {
 *   const { user } = requireUser(context);
 *   return { id: user.id, email: user.email };
 * };
 */
export function requireUser(context: GraphQLContext): { claims: AccessTokenClaims; user: UserRecord } {
  const { authentication } = context;
  if (!authentication.ok) throw new ApiError(401, authentication.message);
  return { claims: authentication.claims, user: authentication.user };
}

/**
 * The user a GraphQL field of banking data needs: the bearer token's, when it is confirmed (carries `cnf`,
 * MFA passed), as Kontist requires for banking data.
 *
 * @throws {ApiError} 401 without a valid, unexpired token; 403 when the token is not confirmed.
 * @example
 * import type { GraphQLContext } from "./GraphQLContext";
 *
 * // The resolver of `viewer.mainAccount`: 403 for a token without `cnf`.
 * const mainAccount = (_args: unknown, context: GraphQLContext) => {
 *   const { user } = requireConfirmedUser(context);
 *   return { iban: user.iban, balance: user.balance };
 * };
 */
export function requireConfirmedUser(context: GraphQLContext): {
  claims: AccessTokenClaims;
  user: UserRecord;
} {
  const authenticated = requireUser(context);
  if (authenticated.claims.cnf === undefined) {
    throw new ApiError(
      403,
      "Banking data needs a confirmed token: pass MFA (a device challenge or a push challenge) first.",
    );
  }
  return authenticated;
}
