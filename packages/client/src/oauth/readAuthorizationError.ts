import { accessDeniedErrorType } from "@kontist-auth/protocol";
import { AuthorizationError } from "../errors/AuthorizationError";

/** The error parameters that come with `error` in an authorization answer (RFC 6749 §4.1.2.1). */
export interface AuthorizationErrorDetails {
  error_description?: string | undefined;
  error_uri?: string | undefined;
}

/** Kontist's error types that have an RFC 6749 §4.1.2.1 code (a Map: a type may be `__proto__`). */
const rfcCodes: ReadonlyMap<string, string> = new Map([[accessDeniedErrorType, "access_denied"]]);

/** A Kontist error object's `type`, or `undefined` when `value` is not one. */
function kontistType(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { type } = value as { type?: unknown };
  return typeof type === "string" && type !== "" ? type : undefined;
}

/** `value` as text, for an error object that has no `type`. */
function asText(value: object): string {
  try {
    return JSON.stringify(value) ?? "unknown_error";
  } catch {
    // A structured clone (a web message) may be cyclic or hold a BigInt.
    return "unknown_error";
  }
}

/**
 * Reads the `error` of an authorization answer into an {@link AuthorizationError}, in either form it
 * comes in:
 * - Kontist's JSON form: `{"type":"AccessDeniedError"}`, as text (the redirect's `error` parameter,
 *   URL-decoded) or as an object (a web message's `error`). `type` is kept; `error` becomes the RFC code
 *   (`AccessDeniedError` → `access_denied`), or the type itself when it has none.
 * - an RFC 6749 §4.1.2.1 code, e.g. `access_denied`, `login_required`: kept as `error`, no `type`.
 *
 * A JSON value without a string `type`, or text that looks like JSON (`{…`) but does not parse, is taken
 * as the code itself, as it came.
 *
 * @param value - the answer's `error`: a string, or an object from a web message.
 * @param details - the answer's `error_description` and `error_uri`, when it had them.
 * @param source - where the answer came from, for the message, e.g. `the authorization callback`.
 * @returns the error to throw (this function never throws it).
 *
 * @example
 * readAuthorizationError('{"type":"AccessDeniedError"}', {}, "the authorization callback");
 * // AuthorizationError { error: "access_denied", type: "AccessDeniedError" }
 */
export function readAuthorizationError(
  value: string | object,
  details: AuthorizationErrorDetails,
  source: string,
): AuthorizationError {
  let parsed: unknown = value;
  let raw: string;
  if (typeof value === "string") {
    raw = value;
    if (value.trimStart().startsWith("{")) {
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined; // not JSON after all: the text is the code
      }
    }
  } else {
    raw = asText(value);
  }
  const type = kontistType(parsed);
  return new AuthorizationError(
    {
      error: type === undefined ? raw : (rfcCodes.get(type) ?? type),
      type,
      error_description: details.error_description,
      error_uri: details.error_uri,
    },
    source,
  );
}
