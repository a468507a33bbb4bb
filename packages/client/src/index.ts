// The base class, its guard and the validation error come from protocol; re-exported for one import.
export { isKontistAuthError, KontistAuthError, ResponseValidationError } from "@kontist-auth/protocol";
export {
  type BindDeviceOptions,
  type ConfirmDeviceOptions,
  DeviceAuth,
} from "./auth/DeviceAuth";
export { type FetchTokenFromCredentialsOptions, TokenManager } from "./auth/TokenManager";
export { Client, type ClientOptions, defaultBaseUrl, defaultTimeout } from "./Client";
export {
  HttpError,
  isHttpError,
  isNetworkError,
  isNoTokenError,
  isOAuth2Error,
  isTimeoutError,
  isTokenRenewalError,
  isUnauthorizedError,
  NetworkError,
  NoTokenError,
  OAuth2Error,
  TimeoutError,
  TokenRenewalError,
  UnauthorizedError,
} from "./errors";
export type { JwtClaims } from "./token/decodeJwtClaims";
export { Token, type TokenInit } from "./token/Token";
export type { TokenStore } from "./token/TokenStore";
