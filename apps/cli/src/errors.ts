import { isKontistAuthError } from "@kontist-auth/client";

/**
 * The exit codes scripts can rely on (documented in the README). A code names a kind of failure, not a
 * command: `3` means "log in first" whichever command found no token.
 */
export const exitCodes = {
  /** Done. */
  ok: 0,
  /** The API or the SDK reported an error not listed below (the line names its code). */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing argument, invalid JSON. */
  usage: 2,
  /** Nothing to work with: no token for the profile (`kontist-auth login`), or no device bound. */
  notLoggedIn: 3,
  /** The API refused the credentials or the token: wrong password, expired refresh token, 401. */
  authRefused: 4,
  /** The user (or the API) refused a confirmation: push denied or expired, binding request rejected. */
  confirmationRefused: 5,
  /** The API could not be reached, or did not answer in time. */
  network: 6,
  /** The user cancelled: Ctrl-C, or Esc at a prompt. */
  cancelled: 130,
} as const;

/** One of {@link exitCodes}. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** An error of the CLI itself (not of the SDK): a code for scripts, a message for people, an exit code. */
export class CliError extends Error {
  override name = "CliError";

  /**
   * @param code - a stable upper-case code, e.g. `NOT_LOGGED_IN`, `USAGE`.
   * @param message - one sentence for the user; never a secret.
   * @param exitCode - the process's exit code.
   */
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = exitCodes.failed,
  ) {
    super(message);
  }
}

/** The user cancelled (Ctrl-C or Esc); `what` says what was left undone. */
export function cancelled(what: string): CliError {
  return new CliError("CANCELLED", what, exitCodes.cancelled);
}

const exitCodeOfSdkCode: Readonly<Record<string, ExitCode>> = {
  NO_TOKEN: exitCodes.notLoggedIn,
  OAUTH2_ERROR: exitCodes.authRefused,
  UNAUTHORIZED: exitCodes.authRefused,
  TOKEN_RENEWAL_FAILED: exitCodes.authRefused,
  AUTHORIZATION_ERROR: exitCodes.authRefused,
  STATE_MISMATCH: exitCodes.authRefused,
  CHALLENGE_DENIED: exitCodes.confirmationRefused,
  CHALLENGE_EXPIRED: exitCodes.confirmationRefused,
  DEVICE_BINDING_REJECTED: exitCodes.confirmationRefused,
  CHALLENGE_CANCELLED: exitCodes.cancelled,
  DEVICE_BINDING_CANCELLED: exitCodes.cancelled,
  NETWORK_ERROR: exitCodes.network,
  TIMEOUT: exitCodes.network,
};

/** What the CLI prints and returns for a failure: a code, one line of message, an exit code. */
export interface Failure {
  code: string;
  message: string;
  exitCode: ExitCode;
}

/**
 * Turns anything thrown into a {@link Failure}. The SDK's errors never carry a secret in their message
 * (the project's rule); anything else is reduced to its name and first line, never a stack trace.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) {
    return { code: error.code, message: error.message, exitCode: error.exitCode };
  }
  if (isKontistAuthError(error)) {
    const detail =
      isKontistAuthError(error, "OAUTH2_ERROR") && !error.message.includes(error.error)
        ? ` (${error.error})`
        : "";
    return {
      code: error.code,
      message: `${firstLine(error.message)}${detail}`,
      exitCode: exitCodeOfSdkCode[error.code] ?? exitCodes.failed,
    };
  }
  if (error instanceof TypeError) {
    return { code: "USAGE", message: firstLine(error.message), exitCode: exitCodes.usage };
  }
  const message = error instanceof Error ? `${error.name}: ${firstLine(error.message)}` : "unknown error";
  return { code: "FAILED", message, exitCode: exitCodes.failed };
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? "";
}
