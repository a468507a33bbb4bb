/**
 * The error base class `KontistAuthError`, its guard `isKontistAuthError` and the code registry every
 * package extends, without the schemas.
 *
 * @module @kontist-auth/protocol/errors
 */
export {
  isKontistAuthError,
  KontistAuthError,
  type KontistAuthErrorCode,
  type KontistAuthErrorCodes,
  type KontistAuthErrorOptions,
} from "./KontistAuthError";
export { ResponseValidationError } from "./ResponseValidationError";
