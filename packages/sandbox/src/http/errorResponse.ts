import { type ApiErrorBody, type OAuth2ErrorBody, paths } from "@kontist-auth/protocol";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Answers `{ "message", "status" }` with `status`. */
export function apiErrorResponse(
  c: Context,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body: ApiErrorBody = { message, status };
  return c.json(body, status as ContentfulStatusCode, headers);
}

/** Answers an OAuth2 error body (RFC 6749 §5.2), never cached. */
export function oauth2ErrorResponse(
  c: Context,
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  const body: OAuth2ErrorBody = { error, error_description: description };
  return c.json(body, status as ContentfulStatusCode, {
    "Cache-Control": "no-store",
    Pragma: "no-cache",
    ...headers,
  });
}

/**
 * Answers an error in the shape of the endpoint asked: OAuth2 (`invalid_request`) on the token endpoint,
 * `{ "message", "status" }` everywhere else.
 */
export function errorResponseFor(
  c: Context,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return c.req.path === paths.token
    ? oauth2ErrorResponse(c, status, "invalid_request", message, headers)
    : apiErrorResponse(c, status, message, headers);
}
