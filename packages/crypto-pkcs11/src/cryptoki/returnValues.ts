// The few Cryptoki values this package acts on (PKCS#11 v2.40 base specification §3.6 and pkcs11t.h).
// Declared here because pkcs11js, which defines them all, is graphene-pk11's dependency, not ours.

/** `C_Initialize` flag: the library may use the OS's locking, so calls can come from several threads. */
export const CKF_OS_LOCKING_OK = 0x2;

export const CKR_CANT_LOCK = 0x0a;
export const CKR_KEY_HANDLE_INVALID = 0x60;
export const CKR_OBJECT_HANDLE_INVALID = 0x82;
export const CKR_PIN_INCORRECT = 0xa0;
export const CKR_USER_ALREADY_LOGGED_IN = 0x100;
export const CKR_USER_NOT_LOGGED_IN = 0x101;
export const CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;

/** Session states in which the user is logged in (`CKS_RO_USER_FUNCTIONS`, `CKS_RW_USER_FUNCTIONS`). */
export const CKS_USER_STATES: readonly number[] = [1, 3];

/** The `CK_RV` a pkcs11js `Pkcs11Error` carries as `code`, or `undefined` for any other error. */
export function returnValueOf(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}

/**
 * A short, log-safe description of a native error: the `CKR_…` name pkcs11js puts in the message, the
 * hex return value, or the error's name. Never the rest of the message (a native stack trace is noise).
 */
export function describeReturnValue(error: unknown): string {
  const name = error instanceof Error ? /^CKR_[A-Z0-9_]+/.exec(error.message)?.[0] : undefined;
  if (name !== undefined) return name;
  const value = returnValueOf(error);
  if (value !== undefined) return `CK_RV 0x${value.toString(16)}`;
  return error instanceof Error ? error.name : "unknown error";
}
