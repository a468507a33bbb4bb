import type { Context } from "hono";
import { ApiError } from "../http/ApiError";

/**
 * Refuses a form post to the login page that a browser sent from another page than the sandbox's own
 * (login CSRF: a foreign page that posts its owner's credentials would sign the victim's browser in as
 * that owner). What the browser says decides:
 * - `Sec-Fetch-Site` (Fetch Metadata, sent by every current browser): only `same-origin` — the sandbox's
 *   own login and waiting pages — and `none` (a navigation the user started) pass; `same-site` (another
 *   port of the same host: any local page) and `cross-site` are refused.
 * - Without it, `Origin`: it must be the sandbox's own origin as the request addressed it; `null` (a
 *   sandboxed or opaque page) is refused.
 * - Without either, the request did not come from a browser page (curl, `fetch` in Node, test clients)
 *   and passes: those cannot be made to post by a foreign page.
 *
 * No form token is needed on top: the login and waiting pages are the only forms, and a browser that
 * sends neither header to the sandbox's own origin predates Fetch Metadata and `Origin` on form posts.
 *
 * @throws {ApiError} 403 for a cross-site or same-site form post.
 * @example
 * import { readBodyText } from "../http/readBodyText";
 * import type { SandboxRoute } from "../http/SandboxRoute";
 * import { asPage } from "./asPage";
 *
 * const route: SandboxRoute = {
 *   method: "POST",
 *   path: "/api/oauth/authorize",
 *   handler: (c) =>
 *     asPage(c, async () => {
 *       ensureSameOriginForm(c); // before the body is read
 *       const form = new URLSearchParams(await readBodyText(c));
 *       return c.text(`Signing in as ${form.get("username")}.`);
 *     }),
 * };
 */
export function ensureSameOriginForm(c: Context): void {
  const site = c.req.header("sec-fetch-site")?.toLowerCase();
  if (site !== undefined) {
    if (site === "same-origin" || site === "none") return;
    throw refused(`it came from a ${site} page`);
  }
  const origin = c.req.header("origin");
  if (origin === undefined || origin === new URL(c.req.url).origin) return;
  throw refused("its Origin is not the sandbox's");
}

function refused(why: string): ApiError {
  return new ApiError(
    403,
    `The sign-in form was posted cross-site (${why}): sign in on the sandbox's own page.`,
  );
}
