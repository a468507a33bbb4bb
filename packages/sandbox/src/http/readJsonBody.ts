import type { Context } from "hono";
import { ApiError } from "./ApiError";
import { mediaType } from "./mediaType";
import { type BodySchema, parseWithSchema } from "./parseWithSchema";
import { readBodyText } from "./readBodyText";
import type { SandboxEnv } from "./SandboxEnv";

/**
 * Reads a JSON request body and parses it with its protocol schema.
 *
 * @throws {ApiError} 415 unless `Content-Type` is `application/json` (or `…+json`); 400 for a body that
 *   is not JSON or fails the schema (the message names the field, never a value).
 */
export async function readJsonBody<T>(c: Context<SandboxEnv>, schema: BodySchema<T>): Promise<T> {
  const type = mediaType(c.req.header("content-type"));
  if (type !== "application/json" && !type?.endsWith("+json")) {
    throw new ApiError(415, "The body must be JSON (Content-Type: application/json).");
  }
  let data: unknown;
  try {
    data = JSON.parse(await readBodyText(c));
  } catch {
    throw new ApiError(400, "The body is not valid JSON.");
  }
  const parsed = parseWithSchema(schema, data);
  if (!parsed.ok) throw new ApiError(400, parsed.message);
  return parsed.value;
}
