import {
  type GraphQLErrorEntry,
  graphQLErrorExtensions,
  maxGraphQLQueryLength,
} from "@kontist-auth/protocol";
import { GraphQLError } from "graphql";
import { ApiError } from "../http/ApiError";

/** Kontist returns at most 3 errors (API.md). */
export const maxGraphQLErrors = 3;

/**
 * `error` again with Kontist's `extensions: { status, type }` (and nothing else there), keeping its
 * locations and path; `message` replaces its message.
 *
 * @example
 * import { GraphQLError } from "graphql";
 *
 * const forbidden = withStatus(new GraphQLError("Banking data needs a confirmed token."), 403);
 * forbidden.extensions; // { status: 403, type: "http://www.iana.org/assignments/http-status-codes#403" }
 */
export function withStatus(error: GraphQLError, status: number, message = error.message): GraphQLError {
  return new GraphQLError(message, {
    ...(error.nodes === undefined
      ? { source: error.source, positions: error.positions }
      : { nodes: error.nodes }),
    ...(error.path === undefined ? {} : { path: error.path }),
    extensions: { ...graphQLErrorExtensions(status) },
  });
}

/**
 * A request error of status 400 that points nowhere in the document.
 *
 * @example
 * const errors = [badRequestError("The query is nested too deeply.")];
 */
export function badRequestError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { ...graphQLErrorExtensions(400) } });
}

/**
 * The request error for a query of 10,000 characters or more (Kontist's limit).
 *
 * @example
 * import { maxGraphQLQueryLength } from "@kontist-auth/protocol";
 *
 * const query = `{ ${"viewer { id } ".repeat(1000)}}`;
 * const errors = query.length > maxGraphQLQueryLength ? [queryTooLongError()] : []; // status 400
 */
export function queryTooLongError(): GraphQLError {
  return badRequestError(
    `The query is too long: it must be under ${(maxGraphQLQueryLength + 1).toLocaleString("en-US")} characters.`,
  );
}

/**
 * The first {@link maxGraphQLErrors} errors as JSON entries of a GraphQL answer.
 *
 * @example
 * const body = { errors: errorEntries([badRequestError("The query is nested too deeply.")]) };
 * // { errors: [{ message: "The query is nested too deeply.", extensions: { status: 400, type } }] }
 */
export function errorEntries(errors: readonly GraphQLError[]): GraphQLErrorEntry[] {
  return errors.slice(0, maxGraphQLErrors).map((error) => error.toJSON() as GraphQLErrorEntry);
}

/**
 * `error` without the value graphql-js quotes when a variable does not fit its type (`Variable "$x" got
 * invalid value "…"; …`), so no answer repeats what was sent (it could be a secret).
 *
 * @example
 * import { GraphQLError } from "graphql";
 *
 * const error = new GraphQLError('Variable "$pin" got invalid value "1234"; Int cannot represent a string.');
 * withoutValue(error).message; // 'Variable "$pin" got a value that does not fit its type.'
 */
export function withoutValue(error: GraphQLError): GraphQLError {
  const variable = /^Variable "\$(\w+)" got invalid value/.exec(error.message)?.[1];
  if (variable === undefined) return error;
  return new GraphQLError(`Variable "$${variable}" got a value that does not fit its type.`, {
    nodes: error.nodes,
  });
}

/**
 * An error of an operation that ran (its answer has `data`) with Kontist's `extensions`: a resolver's
 * {@link ApiError} keeps its status; anything else is an unexpected failure, logged by name and stack
 * frames only (its message could quote input) and answered as status 500 "Internal server error.".
 *
 * @param log - the sandbox's log.
 * @example
 * import type { ExecutionResult } from "graphql";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * // The answer of an operation that ran: `data`, and its errors with Kontist's extensions.
 * function answer(runtime: SandboxRuntime, result: ExecutionResult) {
 *   const errors = result.errors?.map((error) => executionErrorWithStatus(error, runtime.config.log));
 *   return { data: result.data, ...(errors === undefined ? {} : { errors: errorEntries(errors) }) };
 * }
 */
export function executionErrorWithStatus(error: GraphQLError, log: (line: string) => void): GraphQLError {
  const cause = error.originalError;
  if (cause instanceof ApiError) return withStatus(error, cause.status);
  return unexpectedError(error, log);
}

/**
 * An error of an operation that did not run (its answer has no `data`) with Kontist's `extensions`: a
 * subscription's resolver refusing with an {@link ApiError} keeps its status; what graphql-js itself
 * refused (variables that do not fit their types) is a 400, without the value it quoted; anything else is
 * an unexpected failure (status 500, logged without its message).
 *
 * @param log - the sandbox's log.
 * @example
 * import type { GraphQLError } from "graphql";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * // A subscription that did not start: its errors with Kontist's extensions.
 * function refusal(runtime: SandboxRuntime, errors: readonly GraphQLError[]) {
 *   return errorEntries(errors.map((error) => requestErrorWithStatus(error, runtime.config.log)));
 * }
 */
export function requestErrorWithStatus(error: GraphQLError, log: (line: string) => void): GraphQLError {
  const cause = error.originalError;
  if (cause instanceof ApiError) return withStatus(error, cause.status);
  if (cause === undefined || cause === null || cause instanceof GraphQLError) {
    return withStatus(withoutValue(error), 400);
  }
  return unexpectedError(error, log);
}

function unexpectedError(error: GraphQLError, log: (line: string) => void): GraphQLError {
  const cause = error.originalError;
  const where = cause?.stack?.split("\n").slice(1, 4).join(" | ").replace(/\s+/g, " ") ?? "";
  log(`Unexpected ${cause?.name ?? "GraphQLError"} in a GraphQL resolver: ${where}`);
  return withStatus(error, 500, "Internal server error.");
}
