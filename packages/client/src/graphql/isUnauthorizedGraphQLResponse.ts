import { graphQLErrorStatus, graphQLResponseSchema } from "@kontist-auth/protocol";
import { tryParseJsonBody } from "../http/parseJsonBody";
import type { TransportResponse } from "../http/Transport";

/**
 * Whether an answer of `POST /api/graphql` says the access token was refused: HTTP 401, or a GraphQL
 * envelope (in a 200 or any other status) with an error whose `extensions.status` is 401, which is how
 * Kontist may report an expired token. The authenticated transport asks this to decide on its one renewal
 * and retry; it reads the body only to answer that question, the processing step
 * ({@link processGraphQLResponse}) still makes the error.
 *
 * @example
 * import { paths } from "@kontist-auth/protocol";
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const json = { query: "{ viewer { email } }" };
 * const response = await api.send({ method: "POST", path: paths.graphQL, json, isUnauthorized: isUnauthorizedGraphQLResponse });
 */
export function isUnauthorizedGraphQLResponse(response: TransportResponse): boolean {
  if (response.status === 401) return true;
  // A quick look first: most answers carry no errors, and those need no parsing here.
  if (!response.text.includes('"errors"')) return false;
  const envelope = graphQLResponseSchema.safeParse(tryParseJsonBody(response));
  return envelope.success && (envelope.data.errors ?? []).some((entry) => graphQLErrorStatus(entry) === 401);
}
