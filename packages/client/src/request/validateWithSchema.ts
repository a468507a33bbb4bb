import { ResponseValidationError } from "@kontist-auth/protocol";
import type { ResponseSchema, ResponseSchemaIssue } from "./ResponseSchema";

/** Longest issue message that goes into the error. */
const maxIssueMessageLength = 200;

function fieldOf(issue: ResponseSchemaIssue): string {
  return (issue.path ?? [])
    .map((segment) => String(typeof segment === "object" ? segment.key : segment))
    .join(".");
}

/**
 * Validates a response body with a Standard Schema (v1) and returns the schema's output.
 *
 * @param source - what was answered, e.g. `GET /api/user/mfa/challenges`, for the message.
 * @throws {ResponseValidationError} naming the first field with a problem and the schema's message for it.
 * @example
 * import { mfaChallengesResponseSchema } from "@kontist-auth/protocol";
 * const body: unknown = JSON.parse("[]");
 * const challenges = await validateWithSchema(mfaChallengesResponseSchema, body, "GET /api/user/mfa/challenges");
 */
export async function validateWithSchema<Output>(
  schema: ResponseSchema<Output>,
  value: unknown,
  source: string,
): Promise<Output> {
  const result = await schema["~standard"].validate(value);
  if (result.issues === undefined) return result.value;
  const first = result.issues[0];
  const field = first === undefined ? "" : fieldOf(first);
  const where = field === "" ? "the body" : `field \`${field}\``;
  const problem = first?.message.slice(0, maxIssueMessageLength) ?? "is invalid";
  throw new ResponseValidationError(`Invalid ${source} response: ${where}: ${problem}.`, field);
}
