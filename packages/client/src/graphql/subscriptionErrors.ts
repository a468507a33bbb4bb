import {
  type GraphQLErrorEntry,
  graphQLResponseSchema,
  isKontistAuthError,
  type KontistAuthError,
  parseResponse,
  ResponseValidationError,
} from "@kontist-auth/protocol";
import { GraphQLError } from "../errors/GraphQLError";
import { NetworkError } from "../errors/NetworkError";
import { WebSocketClosedError } from "../errors/WebSocketClosedError";
import { redactSecrets } from "../http/redactSecrets";
import { subscriptionSource } from "./subscriptions";

/** A WebSocket close event, as graphql-ws reports one. */
export interface CloseLike {
  /** The close code (RFC 6455 §7.4), e.g. 4403. */
  code: number;
  /** The close reason the server gave (may be empty). */
  reason: string;
}

/**
 * Whether graphql-ws reported a close event (rather than an error event or a list of GraphQL errors).
 *
 * @example
 * const errorOrClose: unknown = { code: 4403, reason: "Forbidden" }; // as graphql-ws reports a close
 * if (isCloseLike(errorOrClose) && errorOrClose.code === 4403) await client.auth.tokenManager.refresh();
 */
export function isCloseLike(value: unknown): value is CloseLike {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "number" &&
    typeof (value as { reason?: unknown }).reason === "string"
  );
}

/**
 * The `data` of a subscription event.
 *
 * @param secrets - the tokens sent on the connection, cut out of any error.
 * @throws {GraphQLError} for an event with `errors` (secrets redacted).
 * @throws {ResponseValidationError} for an event that is not a GraphQL result with `data`.
 * @example
 * const result: unknown = { data: { newTransaction: { id: "t-1", amount: -1250 } } };
 * const data = readSubscriptionEvent(result, ["at-1"]); // the access tokens sent on the connection
 */
export function readSubscriptionEvent(result: unknown, secrets: readonly string[]): Record<string, unknown> {
  const envelope = parseResponse(graphQLResponseSchema, result, `${subscriptionSource} event`);
  const data = envelope.data ?? undefined;
  if (envelope.errors !== undefined && envelope.errors.length > 0) {
    throw new GraphQLError(
      envelope.errors.map((entry) => redactEntry(entry, secrets)),
      data,
      subscriptionSource,
    );
  }
  if (data === undefined) {
    throw new ResponseValidationError(
      `Invalid ${subscriptionSource} event: field \`data\` is missing.`,
      "data",
    );
  }
  return data;
}

/**
 * What graphql-ws reported a subscription failed with, as the SDK's typed error with the connection's
 * secrets redacted: an SDK error stays as it is (a failed token renewal); a list of GraphQL errors is a
 * {@link GraphQLError}; a close is a {@link WebSocketClosedError}, except 1006 (no close frame: the
 * connection broke or never opened), which is a {@link NetworkError} like any other failure.
 *
 * @param secrets - the tokens sent on the connection, cut out of messages and reasons.
 * @example
 * const failure = subscriptionError(error, ["at-1"]); // e.g. a WebSocketClosedError for a 4403 close
 * console.error(failure.code, failure.message);
 */
export function subscriptionError(error: unknown, secrets: readonly string[]): KontistAuthError {
  if (isKontistAuthError(error)) return error;
  if (Array.isArray(error)) {
    const entries = graphQLResponseSchema.safeParse({ errors: error });
    const list = entries.success ? (entries.data.errors ?? []) : [];
    const redacted =
      list.length > 0 ? list.map((entry) => redactEntry(entry, secrets)) : [{ message: "error" }];
    return new GraphQLError(redacted, undefined, subscriptionSource);
  }
  if (isCloseLike(error)) {
    const reason = redactSecrets(error.reason, secrets);
    if (error.code === 1006) {
      return new NetworkError(
        subscriptionSource,
        new Error(`the WebSocket closed abnormally (1006)${reason ? `: ${reason}` : ""}`),
      );
    }
    return new WebSocketClosedError(subscriptionSource, error.code, reason);
  }
  return new NetworkError(subscriptionSource, safeCause(error, secrets));
}

/**
 * The error subscriptions end with when the connection broke and the last reconnection allowed
 * (`subscriptionRetry.limit`, maybe 0) failed too: a {@link NetworkError} whose `cause` says how many
 * were tried and what the last one failed with (its `code`, e.g. `ECONNREFUSED`, kept; secrets redacted).
 *
 * @param lastFailure - the close or error event of the last attempt, if known.
 * @param attempts - the reconnections tried.
 * @param secrets - the tokens sent on the connection, cut out of messages and reasons.
 * @example
 * const failure = reconnectionFailedError({ code: 1006, reason: "" }, 10, ["at-1"]);
 * console.log(failure.code); // "NETWORK_ERROR"
 */
export function reconnectionFailedError(
  lastFailure: unknown,
  attempts: number,
  secrets: readonly string[],
): NetworkError {
  const last = lastFailure === undefined ? undefined : subscriptionError(lastFailure, secrets);
  const lastCause = last instanceof NetworkError ? last.cause : undefined;
  const detail = lastCause instanceof Error ? lastCause.message : last?.message;
  const tried =
    attempts === 0 ? "" : `gave up after ${attempts} reconnection attempt${attempts === 1 ? "" : "s"}`;
  const cause = new Error([tried, detail].filter(Boolean).join(": ") || "the connection failed");
  const code = (lastCause as { code?: unknown } | undefined)?.code;
  return new NetworkError(
    subscriptionSource,
    typeof code === "string" ? Object.assign(cause, { code }) : cause,
  );
}

function redactEntry(entry: GraphQLErrorEntry, secrets: readonly string[]): GraphQLErrorEntry {
  try {
    return JSON.parse(redactSecrets(JSON.stringify(entry), secrets)) as GraphQLErrorEntry;
  } catch {
    return { message: redactSecrets(String(entry.message), secrets) };
  }
}

/**
 * A plain error standing for what a WebSocket failed with (an `ErrorEvent`'s `error`, or an `Error`):
 * its message redacted and its `code` (`ECONNREFUSED`, …), never the event or socket itself.
 */
function safeCause(error: unknown, secrets: readonly string[]): Error {
  const inner = (error as { error?: unknown } | null)?.error ?? error;
  const message = inner instanceof Error ? redactSecrets(inner.message, secrets) : "WebSocket error";
  const code = (inner as { code?: unknown } | null)?.code;
  return Object.assign(new Error(message), typeof code === "string" ? { code } : {});
}
