export { isKontistAuthError, KontistAuthError, type KontistAuthErrorOptions } from "./KontistAuthError";
export { ResponseValidationError } from "./ResponseValidationError";
