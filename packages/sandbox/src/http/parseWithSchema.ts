import { describeSchemaProblems, formatSchemaProblems } from "@kontist-auth/protocol";

type SchemaError = Parameters<typeof describeSchemaProblems>[0];

/** The part of a `@kontist-auth/protocol` (zod) schema the sandbox uses. */
export interface BodySchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: SchemaError };
}

/**
 * Parses a request body with its protocol schema.
 *
 * @returns the value, or a message naming each failed field and what was expected there (never a value
 *   received, so it can hold no secret).
 */
export function parseWithSchema<T>(
  schema: BodySchema<T>,
  data: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    message: `Invalid body: ${formatSchemaProblems(describeSchemaProblems(result.error, data))}.`,
  };
}
