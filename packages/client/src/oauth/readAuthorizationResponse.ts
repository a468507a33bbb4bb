import {
  type AuthorizationResponse,
  authorizationResponseSchema,
  parseResponse,
  ResponseValidationError,
} from "@kontist-auth/protocol";
import { StateMismatchError } from "../errors/StateMismatchError";
import { readAuthorizationError } from "./readAuthorizationError";

/**
 * The processing step of the redirect back from the authorization server (RFC 6749 §4.1.2, §4.1.2.1):
 * checks `state` first (§10.12: an answer to someone else's request is not looked at further), then
 * turns `error` into a typed error, in Kontist's JSON form (`{"type":"AccessDeniedError"}`) or as an
 * RFC code (see `readAuthorizationError`), then returns the code. A redirect always needs the state the
 * request carried: anyone can send the browser to the redirect URI.
 *
 * @param response - the answer's parameters (the callback URI's query).
 * @param expectedState - the `state` the request carried; `undefined` when it carried none, and then the
 *   answer must carry none either.
 * @param source - where the answer came from, for messages, e.g. `the authorization callback`.
 * @returns the authorization code.
 * @throws {StateMismatchError} when the answer's `state` is not `expectedState`.
 * @throws {AuthorizationError} when the answer carries `error` (e.g. Kontist's `AccessDeniedError`,
 *   `access_denied`, `login_required`).
 * @throws {ResponseValidationError} when it carries neither a code nor an error, or a malformed one.
 *
 * @example
 * import { parseCallbackUri } from "./parseCallbackUri";
 *
 * const state = sessionStorage.getItem("state") ?? undefined; // kept since the login started
 * const code = readAuthorizationResponse(parseCallbackUri(location.href), state, "the authorization callback");
 */
export function readAuthorizationResponse(
  response: unknown,
  expectedState: string | undefined,
  source: string,
): string {
  const state = (response as { state?: unknown } | null | undefined)?.state;
  if (state !== expectedState) throw new StateMismatchError(source);
  return readCode(parseResponse(authorizationResponseSchema, response, source), response, source);
}

/**
 * The code of an answer whose state was checked: its `error` as an `AuthorizationError`, else its code.
 *
 * @param parameters - the answer, parsed with `authorizationResponseSchema`.
 * @param raw - the answer as it came, for `error_uri`, which the schema does not know.
 * @param field - the name of the code's field in messages, e.g. `response.code` for a web message.
 * @throws {AuthorizationError} when the answer carries `error`.
 * @throws {ResponseValidationError} when it carries no code.
 */
export function readCode(
  parameters: AuthorizationResponse,
  raw: unknown,
  source: string,
  field = "code",
): string {
  if (parameters.error !== undefined) {
    const errorUri = (raw as { error_uri?: unknown }).error_uri;
    throw readAuthorizationError(
      parameters.error,
      {
        error_description: parameters.error_description,
        error_uri: typeof errorUri === "string" ? errorUri : undefined,
      },
      source,
    );
  }
  if (parameters.code === undefined) {
    throw new ResponseValidationError(`Invalid ${source}: field \`${field}\` is missing.`, field);
  }
  return parameters.code;
}
