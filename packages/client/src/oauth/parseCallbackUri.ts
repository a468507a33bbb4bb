import { ResponseValidationError } from "@kontist-auth/protocol";

/**
 * Reads the query parameters of the redirect back from the authorization server (RFC 6749 §4.1.2):
 * `code`, `state`, or `error`, `error_description`, `error_uri`. Parameters must not repeat (§3.1).
 *
 * @param callbackUri - the full URL the browser was sent to, e.g. `location.href` or the URL of the
 *   request your callback route received (absolute).
 * @returns the parameters, by name.
 * @throws {TypeError} when `callbackUri` is not an absolute URL.
 * @throws {ResponseValidationError} when a parameter is repeated.
 *
 * @example
 * parseCallbackUri("http://localhost:3000/callback?code=abc&state=xyz"); // { code: "abc", state: "xyz" }
 */
export function parseCallbackUri(callbackUri: string | URL): Record<string, string> {
  let url: URL;
  try {
    url = new URL(callbackUri);
  } catch {
    throw new TypeError("fetchToken: the callback URI must be an absolute URL, e.g. location.href.");
  }
  const parameters = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (parameters.has(name)) {
      throw new ResponseValidationError(
        `Invalid authorization callback: the parameter \`${name}\` is repeated (RFC 6749 §3.1).`,
        name,
      );
    }
    parameters.set(name, value);
  }
  return Object.fromEntries(parameters);
}
