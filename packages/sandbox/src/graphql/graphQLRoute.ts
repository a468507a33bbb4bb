import {
  type GraphQLResponse,
  graphQLRequestSchema,
  maxGraphQLQueryLength,
  paths,
} from "@kontist-auth/protocol";
import { execute, type GraphQLError } from "graphql";
import type { Context } from "hono";
import { readBearerToken } from "../auth/readBearerToken";
import { parseWithSchema } from "../http/parseWithSchema";
import { readJsonBody } from "../http/readJsonBody";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { callerIpAddress } from "./callerIpAddress";
import type { GraphQLContext } from "./GraphQLContext";
import {
  badRequestError,
  errorEntries,
  executionErrorWithStatus,
  queryTooLongError,
  withoutValue,
  withStatus,
} from "./kontistGraphQLErrors";
import { prepareGraphQLDocument } from "./prepareGraphQLDocument";
import { sandboxGraphQLRoot } from "./sandboxGraphQLRoot";
import { sandboxGraphQLSchema } from "./sandboxGraphQLSchema";

const anyJson = { safeParse: (data: unknown) => ({ success: true as const, data }) };

/** A request error (nothing executed): 400 with `{ errors }` only (GraphQL over HTTP §7.1.2). */
function requestError(c: Context, errors: readonly GraphQLError[]): Response {
  const body: GraphQLResponse = { errors: errorEntries(errors.map((error) => withStatus(error, 400))) };
  return c.json(body, 400);
}

/**
 * `POST /api/graphql` `{ query, variables?, operationName? }` → `{ data?, errors? }`, run by graphql-js
 * against `sandboxGraphQLSchema` (queries and mutations). A bearer token is not required up front: the
 * request runs either way, public fields (`__typename`, introspection) answer, and each field that needs
 * the user resolves to null with a 401 error when the token is missing, malformed, invalid or expired.
 * Every error carries exactly Kontist's `extensions: { status, type }`; at most 3 are returned.
 *
 * Executed requests answer 200, field errors included: 401 without a valid token, 403 (`mainAccount`
 * without a confirmed token, `updateDeviceBindingRequest` not from a bound device), 404, 409. Requests
 * that cannot run answer 400 with `{ errors }` only, each with status 400: a body without a string
 * `query`, a query of 10,000 characters or more or nested too deeply, a syntax error, a query the schema
 * does not allow, a subscription, bad variables or an unknown operation. A body that is not JSON is
 * 400/415 `{ message, status }`. An unexpected resolver failure is an error with status 500, logged
 * without its message.
 */
export function graphQLRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: paths.graphQL,
    handler: async (c) => {
      const data = await readJsonBody(c, anyJson);
      const query = (data as { query?: unknown } | null)?.query;
      if (typeof query === "string" && query.length > maxGraphQLQueryLength) {
        return requestError(c, [queryTooLongError()]);
      }
      const parsed = parseWithSchema(graphQLRequestSchema, data);
      if (!parsed.ok) return requestError(c, [badRequestError(parsed.message)]);
      const request = parsed.value;

      const prepared = prepareGraphQLDocument(request.query, request.operationName ?? undefined, "http");
      if ("errors" in prepared) return requestError(c, prepared.errors);
      const context: GraphQLContext = {
        runtime,
        authentication: readBearerToken(runtime, c.req.header("authorization")),
        ipAddress: callerIpAddress(c),
      };
      const result = await execute({
        schema: sandboxGraphQLSchema,
        document: prepared.document,
        rootValue: sandboxGraphQLRoot,
        contextValue: context,
        variableValues: request.variables ?? undefined,
        operationName: request.operationName ?? undefined,
      });
      if (!("data" in result) || result.data === undefined) {
        return requestError(c, (result.errors ?? []).map(withoutValue));
      }
      const errors = result.errors?.map((error) => executionErrorWithStatus(error, runtime.config.log));
      const body: GraphQLResponse = {
        data: result.data as Record<string, unknown> | null,
        ...(errors === undefined ? {} : { errors: errorEntries(errors) }),
      };
      return c.json(body, 200);
    },
  };
}
