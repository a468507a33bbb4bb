import {
  type GraphQLErrorEntry,
  type GraphQLResponse,
  graphQLRequestSchema,
  maxGraphQLQueryLength,
  paths,
} from "@kontist-auth/protocol";
import { type DocumentNode, execute, GraphQLError, getOperationAST, parse, validate } from "graphql";
import type { Context } from "hono";
import { parseWithSchema } from "../http/parseWithSchema";
import { readJsonBody } from "../http/readJsonBody";
import type { SandboxRoute } from "../http/SandboxRoute";
import { type GraphQLContext, sandboxGraphQLRoot, sandboxGraphQLSchema } from "./sandboxGraphQLSchema";

/** Kontist returns at most 3 errors (API.md). */
export const maxGraphQLErrors = 3;

const anyJson = { safeParse: (data: unknown) => ({ success: true as const, data }) };

function errorEntries(errors: readonly GraphQLError[]): GraphQLErrorEntry[] {
  return errors.slice(0, maxGraphQLErrors).map((error) => error.toJSON() as GraphQLErrorEntry);
}

/** A request error (nothing executed): 400 with `{ errors }` only (GraphQL over HTTP §7.1.2). */
function requestError(c: Context, errors: readonly GraphQLError[]): Response {
  const body: GraphQLResponse = { errors: errorEntries(errors) };
  return c.json(body, 400);
}

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: "BAD_REQUEST" } });

/** `error` again, with `code` as its `extensions.code`. */
const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, {
    ...(error.nodes === undefined
      ? { source: error.source, positions: error.positions }
      : { nodes: error.nodes }),
    extensions: { code },
  });

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
 * Parses and validates a query and picks the operation to run: a query (the schema has no mutations or
 * subscriptions).
 *
 * @returns the document, or the request errors to answer.
 */
function prepareDocument(
  query: string,
  operationName: string | undefined,
): { document: DocumentNode } | { errors: GraphQLError[] } {
  let document: DocumentNode;
  let invalid: readonly GraphQLError[];
  try {
    document = parse(query);
    invalid = validate(sandboxGraphQLSchema, document, undefined, { maxErrors: maxGraphQLErrors });
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [withCode(error, "GRAPHQL_PARSE_FAILED")] };
    // graphql-js parses recursively: a query nested thousands deep overflows the stack.
    if (error instanceof RangeError) return { errors: [badRequest("The query is nested too deeply.")] };
    throw error;
  }
  if (invalid.length > 0)
    return { errors: invalid.map((error) => withCode(error, "GRAPHQL_VALIDATION_FAILED")) };
  const operation = getOperationAST(document, operationName);
  if (operation === null || operation === undefined) {
    const message =
      operationName === undefined
        ? "Name the operation to run (operationName): the document has several."
        : "The document has no operation of that operationName.";
    return { errors: [new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } })] };
  }
  if (operation.operation !== "query") {
    return {
      errors: [
        new GraphQLError(`The sandbox schema has no ${operation.operation} type; send a query.`, {
          nodes: operation,
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        }),
      ],
    };
  }
  return { document };
}

/**
 * `POST /api/graphql` `{ query, variables?, operationName? }` → `{ data?, errors? }`, run by graphql-js
 * against {@link sandboxGraphQLSchema} with the bearer token's user. Executed requests answer 200, field
 * errors (such as `mainAccount` without a confirmed token) included. Requests that cannot run answer 400
 * with `{ errors }` only: a body without a string `query` or with a query of 10,000 characters or more
 * or nested too deeply (`BAD_REQUEST`), a syntax error (`GRAPHQL_PARSE_FAILED`), a query the schema does
 * not allow, a mutation or a subscription (`GRAPHQL_VALIDATION_FAILED`), bad variables or an unknown
 * operation (`BAD_USER_INPUT`). At most 3
 * errors are returned. Like every `/api/user/*` route it needs a bearer token (401 otherwise); a body
 * that is not JSON is 400/415 `{ message, status }`.
 */
export function graphQLRoute(): SandboxRoute {
  return {
    method: "POST",
    path: paths.graphQL,
    bearer: true,
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
      const { document } = prepared;
      const context: GraphQLContext = { claims: c.get("accessToken"), user: c.get("user") };
      const result = await execute({
        schema: sandboxGraphQLSchema,
        document,
        rootValue: sandboxGraphQLRoot,
        contextValue: context,
        variableValues: request.variables ?? undefined,
        operationName: request.operationName ?? undefined,
      });
      if (!("data" in result) || result.data === undefined) {
        return requestError(
          c,
          (result.errors ?? []).map((error) => withCode(withoutValue(error), "BAD_USER_INPUT")),
        );
      }
      const body: GraphQLResponse = {
        data: result.data as Record<string, unknown> | null,
        ...(result.errors === undefined ? {} : { errors: errorEntries(result.errors) }),
      };
      return c.json(body, 200);
    },
  };
}
