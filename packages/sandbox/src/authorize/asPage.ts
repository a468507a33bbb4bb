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
 * handler: (c) => asPage(c, () => serveAuthorizePage(c)),
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
