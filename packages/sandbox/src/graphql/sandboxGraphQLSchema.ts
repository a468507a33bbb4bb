import { buildSchema, GraphQLError } from "graphql";
import type { AccessTokenClaims } from "../jwt/AccessTokenClaims";
import type { UserRecord } from "../state/SandboxStore";

/**
 * The GraphQL schema of the sandbox: the part of Kontist's schema the SDK's examples and tests use.
 * `balance` is in cents, as at Kontist.
 */
export const sandboxGraphQLSdl = `
"The signed-in user and their banking data."
type Query {
  "The user the bearer token belongs to."
  viewer: User
}

type User {
  id: ID!
  email: String!
  "The user's main account. Needs a confirmed token (MFA passed); null with a FORBIDDEN error otherwise."
  mainAccount: Account
}

type Account {
  iban: String!
  "The balance in cents."
  balance: Int!
}
`;

/** The schema of {@link sandboxGraphQLSdl}, built once. */
export const sandboxGraphQLSchema = buildSchema(sandboxGraphQLSdl);

/** What a GraphQL request runs with: the bearer token's claims and user. */
export interface GraphQLContext {
  claims: AccessTokenClaims;
  user: UserRecord;
}

/** The `extensions.code` of a field refused for want of a confirmed token. */
export const forbiddenCode = "FORBIDDEN";

/**
 * The resolvers, as the root value of graphql-js (a function field is called with `(args, context)`).
 * `mainAccount` needs a confirmed token (a `cnf` claim): without one it resolves to null with an error
 * whose `extensions.code` is `FORBIDDEN`.
 */
export const sandboxGraphQLRoot = {
  viewer: (_args: unknown, { user }: GraphQLContext) => ({
    id: user.id,
    email: user.email,
    mainAccount: (_mainAccountArgs: unknown, { claims }: GraphQLContext) => {
      if (claims.cnf === undefined) {
        throw new GraphQLError(
          "Banking data needs a confirmed token: pass MFA (a device challenge or a push challenge) first.",
          { extensions: { code: forbiddenCode } },
        );
      }
      return { iban: user.iban, balance: user.balance };
    },
  }),
};
