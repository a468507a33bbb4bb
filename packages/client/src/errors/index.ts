import type { AuthorizationError } from "./AuthorizationError";
import type { ChallengeCancelledError } from "./ChallengeCancelledError";
import type { ChallengeDeniedError } from "./ChallengeDeniedError";
import type { ChallengeExpiredError } from "./ChallengeExpiredError";
import type { DeviceBindingCancelledError } from "./DeviceBindingCancelledError";
import type { DeviceBindingRejectedError } from "./DeviceBindingRejectedError";
import type { DeviceBindingRequestNotFoundError } from "./DeviceBindingRequestNotFoundError";
import type { GraphQLError } from "./GraphQLError";
import type { HttpError } from "./HttpError";
import type { MutationRefusedError } from "./MutationRefusedError";
import type { NetworkError } from "./NetworkError";
import type { NoTokenError } from "./NoTokenError";
import type { OAuth2Error } from "./OAuth2Error";
import type { StateMismatchError } from "./StateMismatchError";
import type { TimeoutError } from "./TimeoutError";
import type { TokenRenewalError } from "./TokenRenewalError";
import type { UnauthorizedError } from "./UnauthorizedError";
import type { UnexpectedRedirectError } from "./UnexpectedRedirectError";
import type { WebSocketClosedError } from "./WebSocketClosedError";

// The client's codes in protocol's registry: `isKontistAuthError(error, "HTTP_ERROR")` narrows to `HttpError`.
declare module "@kontist-auth/protocol/errors" {
  interface KontistAuthErrorCodes {
    AUTHORIZATION_ERROR: AuthorizationError;
    CHALLENGE_CANCELLED: ChallengeCancelledError;
    CHALLENGE_DENIED: ChallengeDeniedError;
    CHALLENGE_EXPIRED: ChallengeExpiredError;
    DEVICE_BINDING_CANCELLED: DeviceBindingCancelledError;
    DEVICE_BINDING_REJECTED: DeviceBindingRejectedError;
    DEVICE_BINDING_REQUEST_NOT_FOUND: DeviceBindingRequestNotFoundError;
    GRAPHQL_ERROR: GraphQLError;
    HTTP_ERROR: HttpError;
    MUTATION_REFUSED: MutationRefusedError;
    NETWORK_ERROR: NetworkError;
    NO_TOKEN: NoTokenError;
    OAUTH2_ERROR: OAuth2Error;
    STATE_MISMATCH: StateMismatchError;
    TIMEOUT: TimeoutError;
    TOKEN_RENEWAL_FAILED: TokenRenewalError;
    UNAUTHORIZED: UnauthorizedError;
    UNEXPECTED_REDIRECT: UnexpectedRedirectError;
    WEBSOCKET_CLOSED: WebSocketClosedError;
  }
}

export { AuthorizationError, type AuthorizationErrorParameters } from "./AuthorizationError";
export { ChallengeCancelledError } from "./ChallengeCancelledError";
export { ChallengeDeniedError } from "./ChallengeDeniedError";
export { ChallengeError, type ChallengeErrorCode } from "./ChallengeError";
export { ChallengeExpiredError } from "./ChallengeExpiredError";
export { DeviceBindingCancelledError } from "./DeviceBindingCancelledError";
export { DeviceBindingError, type DeviceBindingErrorCode } from "./DeviceBindingError";
export { DeviceBindingRejectedError } from "./DeviceBindingRejectedError";
export { DeviceBindingRequestNotFoundError } from "./DeviceBindingRequestNotFoundError";
export { GraphQLError, type GraphQLErrorDetail } from "./GraphQLError";
export { HttpError } from "./HttpError";
export { MutationRefusedError } from "./MutationRefusedError";
export { NetworkError } from "./NetworkError";
export { NoTokenError } from "./NoTokenError";
export { OAuth2Error } from "./OAuth2Error";
export { StateMismatchError } from "./StateMismatchError";
export { TimeoutError } from "./TimeoutError";
export { TokenRenewalError } from "./TokenRenewalError";
export { UnauthorizedError } from "./UnauthorizedError";
export { UnexpectedRedirectError } from "./UnexpectedRedirectError";
export { WebSocketClosedError } from "./WebSocketClosedError";
