import {
  type GraphQLErrorEntry,
  type GraphQLResponse,
  graphQLErrorExtensions,
  graphQLRequestSchema,
  maxGraphQLQueryLength,
  paths,
} from "@kontist-auth/protocol";
import { type DocumentNode, execute, GraphQLError, getOperationAST, parse, validate } from "graphql";
import type { Context } from "hono";
import { readBearerToken } from "../auth/readBearerToken";
import { ApiError } from "../http/ApiError";
import { parseWithSchema } from "../http/parseWithSchema";
import { readJsonBody } from "../http/readJsonBody";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { callerIpAddress } from "./callerIpAddress";
import type { GraphQLContext } from "./GraphQLContext";
import { sandboxGraphQLRoot } from "./sandboxGraphQLRoot";
import { sandboxGraphQLSchema } from "./sandboxGraphQLSchema";

/** Kontist returns at most 3 errors (API.md). */
export const maxGraphQLErrors = 3;

const anyJson = { safeParse: (data: unknown) => ({ success: true as const, data }) };

/**
 * `error` again with Kontist's `extensions: { status, type }` (and nothing else there), keeping its
 * locations and path; `message` replaces its message.
 */
function withStatus(error: GraphQLError, status: number, message = error.message): GraphQLError {
  return new GraphQLError(message, {
    ...(error.nodes === undefined
      ? { source: error.source, positions: error.positions }
      : { nodes: error.nodes }),
    ...(error.path === undefined ? {} : { path: error.path }),
    extensions: { ...graphQLErrorExtensions(status) },
  });
}

const badRequest = (message: string) =>
  new GraphQLError(message, { extensions: { ...graphQLErrorExtensions(400) } });

function errorEntries(errors: readonly GraphQLError[]): GraphQLErrorEntry[] {
  return errors.slice(0, maxGraphQLErrors).map((error) => error.toJSON() as GraphQLErrorEntry);
}

/** A request error (nothing executed): 400 with `{ errors }` only (GraphQL over HTTP §7.1.2). */
function requestError(c: Context, errors: readonly GraphQLError[]): Response {
  const body: GraphQLResponse = { errors: errorEntries(errors.map((error) => withStatus(error, 400))) };
  return c.json(body, 400);
}

/**
 * `error` without the value graphql-js quotes when a variable does not fit its type (`Variable "$x" got
 * invalid value "…"; …`), so no answer repeats what was sent (it could be a secret).
 */
function withoutValue(error: GraphQLError): GraphQLError {
  const variable = /^Variable "\$(\w+)" got invalid value/.exec(error.message)?.[1];
  if (variable === undefined) return error;
  return new GraphQLError(`Variable "$${variable}" got a value that does not fit its type.`, {
    nodes: error.nodes,
  });
}

/**
 * Parses and validates a query and picks the operation to run: a query or a mutation.
 *
 * @returns the document, or the request errors to answer.
 */
function prepareDocument(
  query: string,
  operationName: string | undefined,
): { document: DocumentNode } | { errors: GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    // graphql-js parses recursively: a query nested thousands deep overflows the stack.
    if (error instanceof RangeError) return { errors: [badRequest("The query is nested too deeply.")] };
    throw error;
  }
  const operation = getOperationAST(document, operationName);
  // Checked before validation, which would only say that the schema has no subscription type.
  if (operation?.operation === "subscription") {
    const message =
      "Subscriptions are not served over HTTP POST (Kontist serves them over WebSocket, graphql-ws); send a query or a mutation.";
    return { errors: [new GraphQLError(message, { nodes: operation })] };
  }
  let invalid: readonly GraphQLError[];
  try {
    invalid = validate(sandboxGraphQLSchema, document, undefined, { maxErrors: maxGraphQLErrors });
  } catch (error) {
    if (error instanceof RangeError) return { errors: [badRequest("The query is nested too deeply.")] };
    throw error;
  }
  if (invalid.length > 0) return { errors: [...invalid] };
  if (operation === null || operation === undefined) {
    const message =
      operationName === undefined
        ? "Name the operation to run (operationName): the document has several."
        : "The document has no operation of that operationName.";
    return { errors: [new GraphQLError(message)] };
  }
  return { document };
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
        return requestError(c, [
          badRequest(
            `The query is too long: it must be under ${(maxGraphQLQueryLength + 1).toLocaleString("en-US")} characters.`,
          ),
        ]);
      }
      const parsed = parseWithSchema(graphQLRequestSchema, data);
      if (!parsed.ok) return requestError(c, [badRequest(parsed.message)]);
      const request = parsed.value;

      const prepared = prepareDocument(request.query, request.operationName ?? undefined);
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
      const errors = result.errors?.map((error) => {
        const cause = error.originalError;
        if (cause instanceof ApiError) return withStatus(error, cause.status);
        const where = cause?.stack?.split("\n").slice(1, 4).join(" | ").replace(/\s+/g, " ") ?? "";
        runtime.config.log(`Unexpected ${cause?.name ?? "GraphQLError"} in a GraphQL resolver: ${where}`);
        return withStatus(error, 500, "Internal server error.");
      });
      const body: GraphQLResponse = {
        data: result.data as Record<string, unknown> | null,
        ...(errors === undefined ? {} : { errors: errorEntries(errors) }),
      };
      return c.json(body, 200);
    },
  };
}
