// The base class, its guard and the validation error come from protocol; re-exported for one import.

// The device binding types come from protocol; re-exported for one import.
export type { BoundDevice, DeviceBindingRequest } from "@kontist-auth/protocol";
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
export { defaultPollInterval } from "./async/defaultPollInterval";
export type { ClientAuthenticationMethod } from "./auth/clientAuthentication";
export {
  type BindDeviceOptions,
  type BindDeviceResult,
  type ConfirmDeviceOptions,
  DeviceAuth,
  defaultBindingConfirmationTimeout,
  type RequestBindingOptions,
  type WaitForBindingConfirmationOptions,
} from "./auth/DeviceAuth";
export { type GetConfirmedTokenOptions, PushAuth } from "./auth/PushAuth";
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
  DeviceBindingCancelledError,
  DeviceBindingRejectedError,
  DeviceBindingRequestNotFoundError,
  GraphQLError,
  type GraphQLErrorDetail,
  HttpError,
  isAuthorizationError,
  isChallengeCancelledError,
  isChallengeDeniedError,
  isChallengeExpiredError,
  isDeviceBindingCancelledError,
  isDeviceBindingRejectedError,
  isDeviceBindingRequestNotFoundError,
  isGraphQLError,
  isHttpError,
  isMutationRefusedError,
  isNetworkError,
  isNoTokenError,
  isOAuth2Error,
  isStateMismatchError,
  isTimeoutError,
  isTokenRenewalError,
  isUnauthorizedError,
  isUnexpectedRedirectError,
  isWebSocketClosedError,
  MutationRefusedError,
  NetworkError,
  NoTokenError,
  OAuth2Error,
  StateMismatchError,
  TimeoutError,
  TokenRenewalError,
  UnauthorizedError,
  UnexpectedRedirectError,
  WebSocketClosedError,
} from "./errors";
export { GraphQLClient } from "./graphql/GraphQLClient";
export type { GraphQLSubscription, SubscribeOptions } from "./graphql/SubscriptionConnection";
export { type AuthorizeInIframeOptions, authorizeInIframe } from "./oauth/authorizeInIframe";
export { createCodeChallenge } from "./oauth/createCodeChallenge";
export { createPkceVerifier } from "./oauth/createPkceVerifier";
export { createState } from "./oauth/createState";
export { type LogoutInIframeOptions, logoutInIframe } from "./oauth/logoutInIframe";
export type { JwtClaims } from "./token/decodeJwtClaims";
export { Token, type TokenInit } from "./token/Token";
