import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError } from "../http/ApiError";
import { pageHeaders, renderErrorPage } from "./renderPage";

/** Whether the caller is a browser that wants a page rather than JSON. */
export const wantsHtml = (c: Context) => (c.req.header("accept") ?? "").toLowerCase().includes("text/html");

/**
 * Runs `serve`, answering an {@link ApiError} as an HTML page for a browser and as
 * `{ "message", "status" }` for anything else: a bad client or redirect URI is never redirected to.
 *
 * @example
 * import { ApiError } from "../http/ApiError";
 * import type { SandboxRoute } from "../http/SandboxRoute";
 *
 * const route: SandboxRoute = {
 *   method: "GET",
 *   path: "/api/oauth/authorize",
 *   // A browser gets the 400 as an HTML page, anything else as { "message", "status" }.
 *   handler: (c) =>
 *     asPage(c, () => {
 *       if (c.req.query("client_id") === undefined) {
 *         throw new ApiError(400, "Parameter `client_id` is missing.");
 *       }
 *       return c.html("<h1>Sign in</h1>");
 *     }),
 * };
 */
export async function asPage(c: Context, serve: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await serve();
  } catch (error) {
    if (!(error instanceof ApiError) || !wantsHtml(c)) throw error;
    return c.html(renderErrorPage(error.status, error.message), error.status as ContentfulStatusCode, {
      ...pageHeaders,
      ...error.headers,
    });
  }
}
