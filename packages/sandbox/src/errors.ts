import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * The codes of {@link SandboxTestClientError}:
 * - `SANDBOX_REQUEST_FAILED`: a `/sandbox/` route answered another status than the one it answers on
 *   success (e.g. 404 for an unknown challenge, 409 for one already answered, 403 for a `Host` that is not
 *   a loopback name); `status` is that status;
 * - `SANDBOX_NOTHING_SENT`: the outbox holds no SMS (to that number) or no e-mail about that device binding
 *   request.
 */
export type SandboxTestClientErrorCode = "SANDBOX_REQUEST_FAILED" | "SANDBOX_NOTHING_SENT";

/**
 * A call of the sandbox's test client ({@link createSandboxTestClient}, `sandbox.test`) failed; `code` says
 * why (see {@link SandboxTestClientErrorCode}). The message names the route and the sandbox's own message,
 * never an OTP or token.
 *
 * @example
 * const challengeId = "3f2c9a10-7b4e-4d21-9a55-0c8e6b1d2f47"; // the waiting page's data-mfa-challenge-id
 * try {
 *   await sandbox.test.approveMfaChallenge(challengeId);
 * } catch (error) {
 *   if (isKontistAuthError(error, "SANDBOX_REQUEST_FAILED") && error.status === 410) console.log("expired");
 * }
 */
export class SandboxTestClientError extends KontistAuthError {
  declare readonly code: SandboxTestClientErrorCode;

  /**
   * @param code - what went wrong.
   * @param message - the route and what it answered.
   * @param options - `status`: the answer's HTTP status, for `SANDBOX_REQUEST_FAILED`.
   */
  constructor(code: SandboxTestClientErrorCode, message: string, options: KontistAuthErrorOptions = {}) {
    super(code, message, options);
  }
}

// Registers the codes, so `isKontistAuthError(error, "SANDBOX_REQUEST_FAILED")` narrows to
// `SandboxTestClientError`.
declare module "@kontist-auth/protocol/errors" {
  interface KontistAuthErrorCodes {
    SANDBOX_REQUEST_FAILED: SandboxTestClientError;
    SANDBOX_NOTHING_SENT: SandboxTestClientError;
  }
}
