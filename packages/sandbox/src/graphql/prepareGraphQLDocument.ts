import { maxGraphQLQueryLength } from "@kontist-auth/protocol";
import {
  type DocumentNode,
  GraphQLError,
  getOperationAST,
  OperationTypeNode,
  parse,
  validate,
} from "graphql";
import { badRequestError, maxGraphQLErrors, queryTooLongError } from "./kontistGraphQLErrors";
import { sandboxGraphQLSchema } from "./sandboxGraphQLSchema";

/** Where a document arrived: `POST /api/graphql` runs queries and mutations, the WebSocket subscriptions. */
export type GraphQLTransport = "http" | "websocket";

const servedOver: Record<GraphQLTransport, readonly OperationTypeNode[]> = {
  http: [OperationTypeNode.QUERY, OperationTypeNode.MUTATION],
  websocket: [OperationTypeNode.SUBSCRIPTION],
};

const elsewhere: Record<GraphQLTransport, string> = {
  http: "Subscriptions are not served over HTTP POST (Kontist serves them over WebSocket, graphql-ws); send a query or a mutation.",
  websocket:
    "Only subscriptions are served over this WebSocket; send queries and mutations with POST /api/graphql.",
};

/**
 * Parses and validates a GraphQL document against `sandboxGraphQLSchema` and picks the operation to run,
 * which must be one `transport` serves (queries and mutations over HTTP, subscriptions over WebSocket).
 * A query of 10,000 characters or more is refused before it is parsed (Kontist's limit).
 * The errors have no `extensions` yet: the caller adds Kontist's (status 400).
 *
 * @returns the document, or the request errors to answer (at most {@link maxGraphQLErrors} of validation).
 * @example
 * const prepared = prepareGraphQLDocument("{ viewer { email } }", undefined, "http"); // { document }
 * const refused = prepareGraphQLDocument("subscription { newTransaction { id } }", undefined, "http");
 * if ("errors" in refused) refused.errors[0]?.message; // "Subscriptions are not served over HTTP POST (…)"
 */
export function prepareGraphQLDocument(
  query: string,
  operationName: string | undefined,
  transport: GraphQLTransport,
): { document: DocumentNode } | { errors: GraphQLError[] } {
  if (query.length > maxGraphQLQueryLength) return { errors: [queryTooLongError()] };
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    // graphql-js parses recursively: a query nested thousands deep overflows the stack.
    if (error instanceof RangeError) return { errors: [badRequestError("The query is nested too deeply.")] };
    throw error;
  }
  const operation = getOperationAST(document, operationName);
  // Checked before validation, which would say less about what to do instead.
  if (operation !== null && operation !== undefined && !servedOver[transport].includes(operation.operation)) {
    return { errors: [new GraphQLError(elsewhere[transport], { nodes: operation })] };
  }
  let invalid: readonly GraphQLError[];
  try {
    invalid = validate(sandboxGraphQLSchema, document, undefined, { maxErrors: maxGraphQLErrors });
  } catch (error) {
    if (error instanceof RangeError) return { errors: [badRequestError("The query is nested too deeply.")] };
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
