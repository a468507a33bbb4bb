import { type GraphQLErrorEntry, isKontistAuthError, KontistAuthError } from "@kontist-auth/protocol";

/** How many of the messages go into `message` (Kontist returns at most 3 errors anyway). */
const maxListedMessages = 3;

/** Longest message of one entry that goes into `message`. */
const maxEntryMessageLength = 300;

/**
 * A GraphQL answer carried `errors` (GraphQL spec §7.1.2): a syntax or validation error, a field the
 * token may not read (e.g. `mainAccount` needs a confirmed token), a resolver failure. Code
 * `GRAPHQL_ERROR`; `status` is the HTTP status when it was not 200. `errors` lists the entries (their
 * messages with any secret of the request redacted), `data` is the partial data the server still sent
 * (`undefined` when none).
 *
 * @example
 * try {
 *   await client.graphQL.rawQuery("{ viewer { mainAccount { iban } } }");
 * } catch (error) {
 *   if (isGraphQLError(error)) console.log(error.errors.map((entry) => entry.message), error.data);
 * }
 */
export class GraphQLError extends KontistAuthError {
  /** The `errors` of the answer; messages with the request's secrets redacted. */
  readonly errors: readonly GraphQLErrorEntry[];
  /** The partial `data` the answer carried next to its errors, if any. */
  readonly data: Record<string, unknown> | undefined;

  /**
   * @param errors - the answer's `errors`, already redacted.
   * @param data - its `data`, if any.
   * @param source - what was requested, e.g. `POST /api/graphql`, for the message.
   * @param status - the HTTP status, when it was not 200.
   */
  constructor(
    errors: readonly GraphQLErrorEntry[],
    data: Record<string, unknown> | undefined,
    source: string,
    status?: number,
  ) {
    const listed = errors
      .slice(0, maxListedMessages)
      .map((entry) => entry.message.slice(0, maxEntryMessageLength))
      .join("; ");
    const more = errors.length > maxListedMessages ? ` (and ${errors.length - maxListedMessages} more)` : "";
    const count = `${errors.length} GraphQL error${errors.length === 1 ? "" : "s"}`;
    super("GRAPHQL_ERROR", `${source} answered with ${count}: ${listed}${more}`, {
      ...(status === undefined ? {} : { status }),
    });
    this.errors = Object.freeze([...errors]);
    this.data = data;
  }
}

/**
 * Tells whether `value` is a {@link GraphQLError} from any copy of the SDK (checks `code`).
 *
 * @example
 * if (isGraphQLError(error)) showErrors(error.errors);
 */
export function isGraphQLError(value: unknown): value is GraphQLError {
  return isKontistAuthError(value, "GRAPHQL_ERROR");
}
