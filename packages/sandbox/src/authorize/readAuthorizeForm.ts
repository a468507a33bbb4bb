import type { Context } from "hono";
import { ApiError } from "../http/ApiError";
import { mediaType } from "../http/mediaType";
import { readBodyText } from "../http/readBodyText";
import type { SandboxEnv } from "../http/SandboxEnv";
import { ensureSameOriginForm } from "./ensureSameOriginForm";

/**
 * The form body of a post to the authorization page (`POST /api/oauth/authorize`, and the sandbox's
 * approve button), after the login-CSRF check every such post needs ({@link ensureSameOriginForm}).
 *
 * @throws {ApiError} 403 when a browser sent the post from another page than the sandbox's own; 415 when
 *   the body is not `application/x-www-form-urlencoded`.
 *
 * @example
 * import type { SandboxRoute } from "../http/SandboxRoute";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 * import { asPage } from "./asPage";
 * import { readAuthorizeRequest } from "./readAuthorizeRequest";
 *
 * const signInRoute = (runtime: SandboxRuntime): SandboxRoute => ({
 *   method: "POST",
 *   path: "/api/oauth/authorize",
 *   handler: (c) =>
 *     asPage(c, async () => {
 *       const reading = readAuthorizeRequest(runtime, await readAuthorizeForm(c));
 *       return c.text(reading.ok ? `Signing in to ${reading.request.client.id}.` : reading.description);
 *     }),
 * });
 */
export async function readAuthorizeForm(c: Context<SandboxEnv>): Promise<URLSearchParams> {
  ensureSameOriginForm(c);
  if (mediaType(c.req.header("content-type")) !== "application/x-www-form-urlencoded") {
    throw new ApiError(
      415,
      "The body must be form-encoded (Content-Type: application/x-www-form-urlencoded).",
    );
  }
  return new URLSearchParams(await readBodyText(c));
}
