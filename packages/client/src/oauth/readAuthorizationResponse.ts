import {
  type AuthorizationResponse,
  authorizationResponseSchema,
  parseResponse,
  ResponseValidationError,
} from "@kontist-auth/protocol";
import { AuthorizationError } from "../errors/AuthorizationError";
import { StateMismatchError } from "../errors/StateMismatchError";

/**
 * The processing step of an authorization answer (RFC 6749 §4.1.2, §4.1.2.1), whether it came as the
 * query of the redirect back or as the `response` of a web message: checks `state` first (§10.12: an
 * answer to someone else's request is not looked at further), then turns `error` into a typed error,
 * then returns the code.
 *
 * @param response - the answer's parameters.
 * @param expectedState - the `state` the request carried; `undefined` when it carried none, and then the
 *   answer must carry none either.
 * @param source - where the answer came from, for messages, e.g. `the authorization callback`.
 * @returns the authorization code.
 * @throws {StateMismatchError} when the answer's `state` is not `expectedState`.
 * @throws {AuthorizationError} when the answer carries `error` (e.g. `access_denied`, `login_required`).
 * @throws {ResponseValidationError} when it carries neither a code nor an error, or a malformed one.
 *
 * @example
 * const code = readAuthorizationResponse(message.response, state, "the silent renewal's web message");
 */
export function readAuthorizationResponse(
  response: unknown,
  expectedState: string | undefined,
  source: string,
): string {
  const state = (response as { state?: unknown } | null | undefined)?.state;
  if (state !== expectedState) throw new StateMismatchError(source);
  const parameters: AuthorizationResponse = parseResponse(authorizationResponseSchema, response, source);
  if (parameters.error !== undefined) {
    const errorUri = (response as { error_uri?: unknown }).error_uri;
    throw new AuthorizationError(
      {
        error: parameters.error,
        error_description: parameters.error_description,
        error_uri: typeof errorUri === "string" ? errorUri : undefined,
      },
      source,
    );
  }
  if (parameters.code === undefined) {
    throw new ResponseValidationError(`Invalid ${source}: field \`code\` is missing.`, "code");
  }
  return parameters.code;
}
