import {
  type GraphQLErrorEntry,
  type GraphQLResponse,
  graphQLResponseSchema,
  parseResponse,
  ResponseValidationError,
} from "@kontist-auth/protocol";
import { GraphQLError } from "../errors/GraphQLError";
import { httpErrorFromResponse } from "../http/httpErrorFromResponse";
import { parseJsonBody, tryParseJsonBody } from "../http/parseJsonBody";
import { redactSecrets } from "../http/redactSecrets";
import type { TransportResponse } from "../http/Transport";

/**
 * The processing step of `POST /api/graphql` (GraphQL spec §7.1): an envelope with `errors` (with a 2xx
 * status, or an error status as servers send for invalid queries or a refused token) is a
 * {@link GraphQLError} keeping the partial `data`, its `status` and `type` from the first error's
 * `extensions` (else the HTTP status when not 200); an error status without such an envelope is an
 * `UnauthorizedError` (401) or an `HttpError`; else the envelope's `data` is returned.
 *
 * @throws {GraphQLError} when the envelope carries errors.
 * @throws {UnauthorizedError} for 401 without an envelope; {@link HttpError} for another error status
 *   without one.
 * @throws {ResponseValidationError} when a 2xx body is not JSON, not an envelope, or has no `data`.
 * @example
 * import { paths } from "@kontist-auth/protocol";
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const json = { query: "{ viewer { email } }" };
 * const data = processGraphQLResponse(await api.send({ method: "POST", path: paths.graphQL, json }));
 */
export function processGraphQLResponse(response: TransportResponse): Record<string, unknown> {
  const success = response.status >= 200 && response.status < 300;
  const source = `${response.source} response`;
  let envelope: GraphQLResponse;
  if (success) {
    envelope = parseResponse(graphQLResponseSchema, parseJsonBody(response), source);
  } else {
    const parsed = graphQLResponseSchema.safeParse(tryParseJsonBody(response));
    if (!parsed.success || !parsed.data.errors?.length) throw httpErrorFromResponse(response);
    envelope = parsed.data;
  }
  const data = envelope.data ?? undefined;
  if (envelope.errors !== undefined && envelope.errors.length > 0) {
    const errors = envelope.errors.map((entry) => redactEntry(entry, response.secrets));
    throw new GraphQLError(
      errors,
      data,
      response.source,
      response.status === 200 ? undefined : response.status,
    );
  }
  if (data === undefined) {
    throw new ResponseValidationError(`Invalid ${source}: field \`data\` is missing.`, "data");
  }
  return data;
}

/** An error entry with every secret of the request cut out of everything it says. */
function redactEntry(entry: GraphQLErrorEntry, secrets: readonly string[]): GraphQLErrorEntry {
  try {
    return JSON.parse(redactSecrets(JSON.stringify(entry), secrets)) as GraphQLErrorEntry;
  } catch {
    return { message: redactSecrets(entry.message, secrets) };
  }
}
