export {
  AuthorizationError,
  type AuthorizationErrorParameters,
  isAuthorizationError,
} from "./AuthorizationError";
export { ChallengeCancelledError, isChallengeCancelledError } from "./ChallengeCancelledError";
export { ChallengeDeniedError, isChallengeDeniedError } from "./ChallengeDeniedError";
export { ChallengeExpiredError, isChallengeExpiredError } from "./ChallengeExpiredError";
export { DeviceBindingCancelledError, isDeviceBindingCancelledError } from "./DeviceBindingCancelledError";
export { DeviceBindingRejectedError, isDeviceBindingRejectedError } from "./DeviceBindingRejectedError";
export {
  DeviceBindingRequestNotFoundError,
  isDeviceBindingRequestNotFoundError,
} from "./DeviceBindingRequestNotFoundError";
export { GraphQLError, type GraphQLErrorDetail, isGraphQLError } from "./GraphQLError";
export { HttpError, isHttpError } from "./HttpError";
export { isMutationRefusedError, MutationRefusedError } from "./MutationRefusedError";
export { isNetworkError, NetworkError } from "./NetworkError";
export { isNoTokenError, NoTokenError } from "./NoTokenError";
export { isOAuth2Error, OAuth2Error } from "./OAuth2Error";
export { isStateMismatchError, StateMismatchError } from "./StateMismatchError";
export { isTimeoutError, TimeoutError } from "./TimeoutError";
export { isTokenRenewalError, TokenRenewalError } from "./TokenRenewalError";
export { isUnauthorizedError, UnauthorizedError } from "./UnauthorizedError";
export { isUnexpectedRedirectError, UnexpectedRedirectError } from "./UnexpectedRedirectError";
export { isWebSocketClosedError, WebSocketClosedError } from "./WebSocketClosedError";
