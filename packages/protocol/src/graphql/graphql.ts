import * as z from "zod/mini";

/** Kontist rejects queries of 10,000 characters or more. */
export const maxGraphQLQueryLength = 9_999;

/** Body of `POST /api/graphql`. */
export const graphQLRequestSchema = z.object({
  query: z.string().check(z.minLength(1), z.maxLength(maxGraphQLQueryLength)),
  variables: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  operationName: z.optional(z.nullable(z.string())),
});
export type GraphQLRequest = z.infer<typeof graphQLRequestSchema>;

/** One entry of the `errors` of a GraphQL response (GraphQL spec §7.1.2). */
export const graphQLErrorSchema = z.object({
  message: z.string(),
  path: z.optional(z.array(z.union([z.string(), z.number()]))),
  locations: z.optional(z.array(z.object({ line: z.number(), column: z.number() }))),
  extensions: z.optional(z.record(z.string(), z.unknown())),
});
export type GraphQLErrorEntry = z.infer<typeof graphQLErrorSchema>;

/** The GraphQL response envelope: `data`, `errors`, or both. */
export const graphQLResponseSchema = z.object({
  data: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  errors: z.optional(z.array(graphQLErrorSchema)),
});
export type GraphQLResponse = z.infer<typeof graphQLResponseSchema>;

/**
 * The `extensions` Kontist puts on a GraphQL error: the HTTP status the error stands for and its IANA
 * type URI, e.g. `{ status: 401, type: "http://www.iana.org/assignments/http-status-codes#401" }`.
 */
export interface GraphQLErrorExtensions {
  status: number;
  type: string;
}

/**
 * The `extensions` of a GraphQL error that stands for HTTP `status`, as Kontist writes them.
 *
 * @example
 * graphQLErrorExtensions(403); // { status: 403, type: "http://www.iana.org/assignments/http-status-codes#403" }
 */
export function graphQLErrorExtensions(status: number): GraphQLErrorExtensions {
  return { status, type: `http://www.iana.org/assignments/http-status-codes#${status}` };
}

/**
 * The HTTP status a GraphQL error entry stands for (`extensions.status`), when it carries a number there.
 *
 * @example
 * const body = graphQLResponseSchema.parse({ errors: [{ message: "Unauthorized", extensions: { status: 401 } }] });
 * const entry = body.errors?.[0];
 * if (entry && graphQLErrorStatus(entry) === 401) console.log("renew the token and try again");
 */
export function graphQLErrorStatus(entry: GraphQLErrorEntry): number | undefined {
  const status = entry.extensions?.status;
  return typeof status === "number" && Number.isInteger(status) ? status : undefined;
}
