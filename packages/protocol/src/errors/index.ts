export {
  isKontistAuthError,
  KontistAuthError,
  type KontistAuthErrorCode,
  type KontistAuthErrorCodes,
  type KontistAuthErrorOptions,
} from "./KontistAuthError";
export { ResponseValidationError } from "./ResponseValidationError";
