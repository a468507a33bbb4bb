import { authorizationWebMessageSchema, parseResponse } from "@kontist-auth/protocol";
import { StateMismatchError } from "../errors/StateMismatchError";
import { readAuthorizationError } from "./readAuthorizationError";
import { readCode } from "./readAuthorizationResponse";

/** The `type` the OAuth 2.0 Web Message Response Mode draft gives an answer; Kontist sends none. */
const authorizationResponseType = "authorization_response";

/**
 * The processing step of a `response_mode=web_message` answer (`event.data`), once the caller has checked
 * that it came from the authorization iframe's own window (`event.source`) and from the authorization
 * server's origin (`event.origin`). Kontist documents `data.response.code` for the answer and
 * `data.error` for a failure, and neither a `type` nor an echoed `state`; the Web Message Response Mode
 * draft adds `type: "authorization_response"` and `response.state`. So:
 * - a message with neither `response` nor `error`, or with another `type`, is not an authorization answer:
 *   `undefined` (keep waiting);
 * - a `state` it carries (`response.state`, or `state`) must be `expectedState`;
 * - a top-level `error` (a string such as `login_required`, or an object such as
 *   `{ type: "LoginRequiredError" }`) or `response.error` is an {@link AuthorizationError};
 * - otherwise `response.code` is the code.
 *
 * @param data - the message's `data`.
 * @param expectedState - the `state` the authorization URL carried.
 * @param source - where the message came from, for messages.
 * @returns the code, or `undefined` when the message is not an authorization answer.
 * @throws {StateMismatchError} when the message carries another state.
 * @throws {AuthorizationError} when it carries an error.
 * @throws {ResponseValidationError} when it is malformed, or has a `response` without a code or error.
 *
 * @example
 * import { createState } from "./createState";
 *
 * const state = createState(); // the state of the iframe's authorization URL
 * window.addEventListener("message", (event) => {
 *   if (event.origin !== "https://api.kontist.com") return; // and only from the iframe's window
 *   const code = readAuthorizationWebMessage(event.data, state, "the silent renewal's web message");
 *   if (code !== undefined) console.log("got a code: exchange it with the verifier");
 * });
 */
export function readAuthorizationWebMessage(
  data: unknown,
  expectedState: string,
  source: string,
): string | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { type, response, error } = data as { type?: unknown; response?: unknown; error?: unknown };
  if (type !== undefined && type !== authorizationResponseType) return undefined;
  if (response === undefined && error === undefined) return undefined;

  const message = parseResponse(authorizationWebMessageSchema, data, source);
  // Kontist echoes no state in a web message, so one without state is accepted: it can only have come
  // from the iframe this client loaded with that state (event.source) and from the authorization server
  // (event.origin), which the caller checked. A redirect, which anyone can trigger, always needs it.
  for (const state of [message.state, message.response?.state]) {
    if (state !== undefined && state !== expectedState) throw new StateMismatchError(source);
  }
  if (message.error !== undefined) {
    throw readAuthorizationError(
      message.error,
      { error_description: message.error_description ?? message.response?.error_description },
      source,
    );
  }
  if (message.response === undefined) return undefined; // unreachable: response or error is set
  return readCode(message.response, response, source, "response.code");
}
