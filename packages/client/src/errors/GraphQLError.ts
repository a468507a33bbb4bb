import { type GraphQLErrorEntry, graphQLErrorStatus, KontistAuthError } from "@kontist-auth/protocol";

/** How many of the messages go into `message` (Kontist returns at most 3 errors anyway). */
const maxListedMessages = 3;

/** Longest message of one entry that goes into `message`. */
const maxEntryMessageLength = 300;

/**
 * One entry of a GraphQL answer's `errors` (GraphQL spec §7.1.2), with what Kontist puts in its
 * `extensions` read out: `status`, the HTTP status the error stands for (`extensions.status`, e.g. 401
 * for an expired token, 403 for a field that needs a confirmed token), and `type`, its IANA type URI
 * (`extensions.type`, e.g. `http://www.iana.org/assignments/http-status-codes#403`). Both are
 * `undefined` when the entry does not carry them. `message`, `path`, `locations` and `extensions` stay
 * as sent (secrets of the request redacted).
 */
export interface GraphQLErrorDetail extends GraphQLErrorEntry {
  /** `extensions.status` when it is an integer. */
  readonly status: number | undefined;
  /** `extensions.type` when it is a string. */
  readonly type: string | undefined;
}

/**
 * A GraphQL answer carried `errors` (GraphQL spec §7.1.2): a syntax or validation error, a field the
 * token may not read (e.g. `mainAccount` needs a confirmed token), a resolver failure, an expired token.
 * Code `GRAPHQL_ERROR`. As in Kontist's SDK, the error as a whole takes `status` and `type` from the first
 * entry's `extensions`; without an `extensions.status` there, `status` is the HTTP status when it was not
 * 200. `errors` lists every entry with its own `status` and `type` ({@link GraphQLErrorDetail}; messages
 * with any secret of the request redacted), `data` is the partial data the server still sent
 * (`undefined` when none).
 *
 * @example
 * try {
 *   await client.graphQL.rawQuery("{ viewer { mainAccount { iban } } }");
 * } catch (error) {
 *   if (!isKontistAuthError(error, "GRAPHQL_ERROR")) throw error;
 *   if (error.status === 403) await client.auth.device.confirm({ signer, deviceId: "device-id" }); // MFA
 *   else console.log(error.errors.map((entry) => entry.message), error.data);
 * }
 */
export class GraphQLError extends KontistAuthError {
  /** The `errors` of the answer, each with its `status` and `type`; messages with the request's secrets redacted. */
  readonly errors: readonly GraphQLErrorDetail[];
  /** `extensions.type` of the first error, e.g. `http://www.iana.org/assignments/http-status-codes#401`. */
  readonly type: string | undefined;
  /** The partial `data` the answer carried next to its errors, if any. */
  readonly data: Record<string, unknown> | undefined;

  /**
   * @param errors - the answer's `errors`, already redacted.
   * @param data - its `data`, if any.
   * @param source - what was requested, e.g. `POST /api/graphql`, for the message.
   * @param httpStatus - the HTTP status, when it was not 200; the error's `status` when the first entry
   *   has no `extensions.status`.
   */
  constructor(
    errors: readonly GraphQLErrorEntry[],
    data: Record<string, unknown> | undefined,
    source: string,
    httpStatus?: number,
  ) {
    const details = errors.map(toDetail);
    const listed = details
      .slice(0, maxListedMessages)
      .map((entry) => entry.message.slice(0, maxEntryMessageLength))
      .join("; ");
    const more = errors.length > maxListedMessages ? ` (and ${errors.length - maxListedMessages} more)` : "";
    const count = `${errors.length} GraphQL error${errors.length === 1 ? "" : "s"}`;
    const status = details[0]?.status ?? httpStatus;
    super("GRAPHQL_ERROR", `${source} answered with ${count}: ${listed}${more}`, {
      ...(status === undefined ? {} : { status }),
    });
    this.errors = Object.freeze(details);
    this.type = details[0]?.type;
    this.data = data;
  }

  /** A plain, log-safe representation: the base's fields and `type`. */
  override toJSON(): ReturnType<KontistAuthError["toJSON"]> & { type?: string } {
    return { ...super.toJSON(), ...(this.type === undefined ? {} : { type: this.type }) };
  }
}

function toDetail(entry: GraphQLErrorEntry): GraphQLErrorDetail {
  const type = entry.extensions?.type;
  return Object.freeze({
    ...entry,
    status: graphQLErrorStatus(entry),
    type: typeof type === "string" ? type : undefined,
  });
}
