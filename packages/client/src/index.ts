/**
 * The SDK: `Client` with `auth.tokenManager`, `auth.device`, `auth.push` and `graphQL`, its options, its
 * events and its errors.
 *
 * @module @kontist-auth/client
 */
// The base class, its guard and the validation error come from protocol; re-exported for one import.

// The device binding types come from protocol; re-exported for one import.
export type { BoundDevice, DeviceBindingRequest } from "@kontist-auth/protocol";
export { isKontistAuthError, KontistAuthError, ResponseValidationError } from "@kontist-auth/protocol";
// The store interface and its error come from token-store; re-exported for one import.
export {
  type StoredToken,
  type TokenStore,
  TokenStoreError,
  type TokenStoreErrorCode,
  type TokenStoreLock,
  type TokenStoreLockOptions,
} from "@kontist-auth/token-store";
export type { GetAuthUriOptions } from "./auth/authorizationCodeFlow";
// The internal classes are types only: reach them through a Client (`client.auth.tokenManager`, …).
export type {
  BindDeviceOptions,
  BindDeviceResult,
  ConfirmDeviceOptions,
  DeviceAuth,
  RequestBindingOptions,
  WaitForBindingConfirmationOptions,
} from "./auth/DeviceAuth";
export type { GetConfirmedTokenOptions, PushAuth } from "./auth/PushAuth";
export type { TokenManager } from "./auth/TokenManager";
export type { FetchTokenFromCredentialsOptions, TokenChangeListener } from "./auth/TokenManagerConfig";
export { Client } from "./Client";
export {
  AuthorizationError,
  type AuthorizationErrorParameters,
  ChallengeCancelledError,
  ChallengeDeniedError,
  ChallengeError,
  type ChallengeErrorCode,
  ChallengeExpiredError,
  DeviceBindingCancelledError,
  DeviceBindingError,
  type DeviceBindingErrorCode,
  DeviceBindingRejectedError,
  DeviceBindingRequestNotFoundError,
  GraphQLError,
  type GraphQLErrorDetail,
  HttpError,
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
export type {
  ClientEvent,
  RenewalFailedEvent,
  RenewalStartedEvent,
  RenewalSucceededEvent,
  RequestRetriedEvent,
  RequestUnauthorizedRetriedEvent,
  StoreLockWaitedEvent,
  SubscriptionReconnectedEvent,
} from "./events/ClientEvent";
export type { GraphQLClient } from "./graphql/GraphQLClient";
export type { SubscriptionRetryOptions } from "./graphql/subscriptionRetryOptions";
export type { SubscribeIterableOptions, SubscribeOptions } from "./graphql/subscriptions";
export type { RetryOptions } from "./http/retryOptions";
export type { ClientOptions } from "./options/ClientOptions";
export { clientDefaults } from "./options/resolveClientOptions";
export type { ResponseSchema, ResponseSchemaIssue, ResponseSchemaResult } from "./request/ResponseSchema";
export type { ApiRequestOptions } from "./request/sendApiRequest";
export type { JwtClaims } from "./token/decodeJwtClaims";
export { type RedactedToken, Token, type TokenInit } from "./token/Token";
export type { ClientAuthenticationMethod } from "./tokenEndpoint/clientAuthentication";
// The browser's OAuth building blocks (authorizeInIframe, createPkceVerifier, createState, …) are in
// `@kontist-auth/client/oauth`.
