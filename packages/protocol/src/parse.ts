import type * as z from "zod/mini";
import { ResponseValidationError } from "./errors/ResponseValidationError";

/** One failed field of a body: its dotted path and what was expected there (never the value received). */
export interface SchemaProblem {
  /** Dotted path, e.g. `access_token` or `0.createdAt`; `""` for the body itself. */
  field: string;
  /** What the field should have been, e.g. `is missing`, `expected string`, `must match the pattern`. */
  problem: string;
}

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeIssue(issue: Issue, data: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      // zod does not keep the input by default, so look it up to tell "missing" from "mistyped".
      return issue.path.length > 0 && valueAt(data, issue.path) === undefined
        ? "is missing"
        : `expected ${issue.expected}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "invalid_format":
      return issue.format === "regex" ? "has the wrong format" : `expected a ${issue.format}`;
    case "too_small":
      return `is too small (minimum ${String(issue.minimum)})`;
    case "too_big":
      return `is too big (maximum ${String(issue.maximum)})`;
    case "invalid_union":
      return "matches none of the allowed shapes";
    case "unrecognized_keys":
      return "has unknown keys";
    default:
      return "is invalid";
  }
}

/**
 * Lists what is wrong with a body, field by field, without echoing any value.
 *
 * @param data The body that was parsed, used only to tell a missing field from a mistyped one.
 */
export function describeSchemaProblems(error: z.core.$ZodError, data: unknown): SchemaProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join("."),
    problem: describeIssue(issue, data),
  }));
}

/** Formats problems as one sentence: ``field `a` is missing; field `b` expected string``. */
export function formatSchemaProblems(problems: readonly SchemaProblem[]): string {
  return problems
    .map(({ field, problem }) => (field === "" ? `the body ${problem}` : `field \`${field}\` ${problem}`))
    .join("; ");
}

/**
 * Parses `data` with `schema`, returning the typed value (unknown fields are kept out of the result but
 * tolerated).
 *
 * @param source What was parsed, for the message, e.g. `POST /api/oauth/token response`.
 * @throws {ResponseValidationError} naming the first field that is missing or mistyped; the message holds
 *   no value from `data`, so it is safe to log even when `data` holds tokens.
 * @example
 * const response = await fetch("https://api.kontist.com/api/oauth/token", { method: "POST" });
 * const token = parseResponse(tokenResponseSchema, await response.json(), "POST /api/oauth/token");
 */
export function parseResponse<Schema extends z.ZodMiniType>(
  schema: Schema,
  data: unknown,
  source: string,
): z.output<Schema> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const problems = describeSchemaProblems(result.error, data);
  throw new ResponseValidationError(
    `Invalid ${source}: ${formatSchemaProblems(problems)}.`,
    problems[0]?.field ?? "",
  );
}
