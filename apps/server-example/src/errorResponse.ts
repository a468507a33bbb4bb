import { isKontistAuthError } from "@kontist-auth/client";

/** The JSON answer for a failed request: an HTTP status and a body with a stable `code`. */
export interface ErrorResponse {
  status: number;
  body: { code: string; message: string };
}

/**
 * The `extensions.status` Kontist gives a GraphQL error for a field that needs a confirmed token
 * (`mainAccount`, say): 403, as the HTTP status it stands for.
 */
const forbiddenStatus = 403;

/** SDK codes that mean: this backend holds no usable login; someone has to run `pnpm kontist-login` again. */
const noLoginCodes = new Set(["NO_TOKEN", "TOKEN_RENEWAL_FAILED", "OAUTH2_ERROR", "UNAUTHORIZED"]);

/**
 * Maps what the SDK threw to a JSON answer for our own callers. The body carries the SDK's `code` and a
 * message of ours: SDK messages hold no secrets, but they describe our upstream, which our callers need
 * not see (the log gets the SDK's message). Anything that is not an SDK error is a 500.
 *
 * @example
 * const { status, body } = errorResponse(error);
 */
export function errorResponse(error: unknown): ErrorResponse {
  if (isKontistAuthError(error, "GRAPHQL_ERROR")) {
    const forbidden = error.errors.some((entry) => entry.status === forbiddenStatus);
    return forbidden
      ? answer(
          403,
          "CONFIRMATION_REQUIRED",
          "This needs a confirmed token: log in with the server's device key (KONTIST_DEVICE_SIGNER).",
        )
      : answer(502, error.code, "The Kontist API answered with GraphQL errors.");
  }
  if (!isKontistAuthError(error)) return answer(500, "INTERNAL_ERROR", "Something went wrong.");
  if (noLoginCodes.has(error.code)) {
    return answer(503, error.code, "This backend is not logged in to Kontist (run the login script).");
  }
  if (error.code.startsWith("TOKEN_STORE_"))
    return answer(503, error.code, "The token store is unavailable.");
  if (error.code === "TIMEOUT") return answer(504, error.code, "The Kontist API did not answer in time.");
  // NETWORK_ERROR, HTTP_ERROR, INVALID_RESPONSE and anything newer: the upstream failed us.
  return answer(502, error.code, "The Kontist API could not be reached or answered with an error.");
}

function answer(status: number, code: string, message: string): ErrorResponse {
  return { status, body: { code, message } };
}
