import type { Context } from "hono";
import { mediaType } from "../http/mediaType";
import { readBodyText } from "../http/readBodyText";
import { requestHeader } from "../http/requestHeader";
import type { SandboxEnv } from "../http/SandboxEnv";
import { OAuth2Error } from "./OAuth2Error";

/** Parameter names the token endpoint knows; only these are ever named in an error description. */
const knownParameters = new Set([
  "grant_type",
  "username",
  "password",
  "scope",
  "code",
  "redirect_uri",
  "code_verifier",
  "refresh_token",
  "client_id",
  "client_secret",
]);

/**
 * Reads the form body of `POST /api/oauth/token` (RFC 6749 §3.2: `application/x-www-form-urlencoded`,
 * no parameter more than once).
 *
 * @throws {OAuth2Error} `invalid_request` for another content type or a repeated parameter.
 */
export async function readTokenForm(c: Context<SandboxEnv>): Promise<Record<string, string>> {
  if (mediaType(requestHeader(c, "content-type")) !== "application/x-www-form-urlencoded") {
    throw new OAuth2Error(
      "invalid_request",
      "The body must be form-encoded (Content-Type: application/x-www-form-urlencoded).",
    );
  }
  const form: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(await readBodyText(c))) {
    if (Object.hasOwn(form, name)) {
      throw new OAuth2Error(
        "invalid_request",
        knownParameters.has(name) ? `Parameter \`${name}\` is repeated.` : "A parameter is repeated.",
      );
    }
    form[name] = value;
  }
  return form;
}
