// The base class, its guard and the validation error come from protocol; re-exported for one import.
export { isKontistAuthError, KontistAuthError, ResponseValidationError } from "@kontist-auth/protocol";
// The store interface and its error come from token-store; re-exported for one import.
export {
  isTokenStoreError,
  type StoredToken,
  type TokenStore,
  TokenStoreError,
  type TokenStoreErrorCode,
  type TokenStoreLock,
  type TokenStoreLockOptions,
} from "@kontist-auth/token-store";
export type { ResponseSchema, ResponseSchemaIssue, ResponseSchemaResult } from "./api/ResponseSchema";
export type { ApiRequestOptions } from "./api/sendApiRequest";
export {
  type BindDeviceOptions,
  type ConfirmDeviceOptions,
  DeviceAuth,
} from "./auth/DeviceAuth";
export { defaultPollInterval, type GetConfirmedTokenOptions, PushAuth } from "./auth/PushAuth";
export {
  type FetchTokenFromCredentialsOptions,
  type GetAuthUriOptions,
  type TokenChangeListener,
  TokenManager,
} from "./auth/TokenManager";
export {
  Client,
  type ClientOptions,
  defaultBaseUrl,
  defaultRefreshLeeway,
  defaultSilentRenewalTimeout,
  defaultTimeout,
  defaultTokenStoreKey,
} from "./Client";
export {
  AuthorizationError,
  type AuthorizationErrorParameters,
  ChallengeCancelledError,
  ChallengeDeniedError,
  ChallengeExpiredError,
  GraphQLError,
  HttpError,
  isAuthorizationError,
  isChallengeCancelledError,
  isChallengeDeniedError,
  isChallengeExpiredError,
  isGraphQLError,
  isHttpError,
  isNetworkError,
  isNoTokenError,
  isOAuth2Error,
  isStateMismatchError,
  isTimeoutError,
  isTokenRenewalError,
  isUnauthorizedError,
  NetworkError,
  NoTokenError,
  OAuth2Error,
  StateMismatchError,
  TimeoutError,
  TokenRenewalError,
  UnauthorizedError,
} from "./errors";
export { GraphQLClient } from "./graphql/GraphQLClient";
export { type AuthorizeInIframeOptions, authorizeInIframe } from "./oauth/authorizeInIframe";
export { createCodeChallenge } from "./oauth/createCodeChallenge";
export { createPkceVerifier } from "./oauth/createPkceVerifier";
export { createState } from "./oauth/createState";
export type { JwtClaims } from "./token/decodeJwtClaims";
export { Token, type TokenInit } from "./token/Token";
