import type { Context } from "hono";
import { ApiError } from "../http/ApiError";

/**
 * Refuses a form post to the login page that a browser sent from another page than the sandbox's own
 * (login CSRF: a foreign page that posts its owner's credentials would sign the victim's browser in as
 * that owner), and likewise a post of the phone page's buttons (a foreign page would answer the user's
 * push challenges and device binding requests). What the browser says decides:
 * - `Sec-Fetch-Site` (Fetch Metadata, sent by every current browser): only `same-origin` — the sandbox's
 *   own pages — and `none` (a navigation the user started) pass; `same-site` (another
 *   port of the same host: any local page) and `cross-site` are refused.
 * - Without it, `Origin`: it must be the sandbox's own origin as the request addressed it; `null` (a
 *   sandboxed or opaque page) is refused.
 * - Without either, the request did not come from a browser page (curl, `fetch` in Node, test clients)
 *   and passes: those cannot be made to post by a foreign page.
 *
 * No form token is needed on top: the sandbox's own pages are the only forms, and a browser that
 * sends neither header to the sandbox's own origin predates Fetch Metadata and `Origin` on form posts.
 *
 * @param form - the form, for the refusal's message; by default the sign-in form.
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
export function ensureSameOriginForm(c: Context, form: SameOriginForm = signInForm): void {
  const site = c.req.header("sec-fetch-site")?.toLowerCase();
  if (site !== undefined) {
    if (site === "same-origin" || site === "none") return;
    throw refused(form, `it came from a ${site} page`);
  }
  const origin = c.req.header("origin");
  if (origin === undefined || origin === new URL(c.req.url).origin) return;
  throw refused(form, "its Origin is not the sandbox's");
}

/** How {@link ensureSameOriginForm}'s refusal names the form and what to do instead. */
export interface SameOriginForm {
  /** E.g. "The sign-in form". */
  name: string;
  /** E.g. "sign in on the sandbox's own page". */
  remedy: string;
}

const signInForm: SameOriginForm = { name: "The sign-in form", remedy: "sign in on the sandbox's own page" };

function refused(form: SameOriginForm, why: string): ApiError {
  return new ApiError(403, `${form.name} was posted cross-site (${why}): ${form.remedy}.`);
}
