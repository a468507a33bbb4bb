import { describe, expectTypeOf, it } from "vitest";
import {
  type AuthorizationError,
  type ChallengeCancelledError,
  type ChallengeDeniedError,
  type ChallengeError,
  type ChallengeExpiredError,
  type DeviceBindingCancelledError,
  type DeviceBindingError,
  type DeviceBindingRejectedError,
  type DeviceBindingRequestNotFoundError,
  type GraphQLError,
  type HttpError,
  isKontistAuthError,
  type KontistAuthError,
  type MutationRefusedError,
  type NetworkError,
  type NoTokenError,
  type OAuth2Error,
  type ResponseValidationError,
  type StateMismatchError,
  type TimeoutError,
  type TokenRenewalError,
  type TokenStoreError,
  type UnauthorizedError,
  type UnexpectedRedirectError,
  type WebSocketClosedError,
} from "../index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
// `isKontistAuthError(error, code)` narrows an unknown value to the class the package registered for `code`.
// (Two classes with the same members are one type to TypeScript: the runtime tests check each code.)
describe("The client's error codes (types)", () => {
  it("narrows each code to its class", () => {
    const error: unknown = new Error("not an SDK error");
    if (isKontistAuthError(error, "AUTHORIZATION_ERROR"))
      expectTypeOf(error).toEqualTypeOf<AuthorizationError & { readonly code: "AUTHORIZATION_ERROR" }>();
    if (isKontistAuthError(error, "CHALLENGE_CANCELLED"))
      expectTypeOf(error).toEqualTypeOf<ChallengeCancelledError & { readonly code: "CHALLENGE_CANCELLED" }>();
    if (isKontistAuthError(error, "CHALLENGE_DENIED"))
      expectTypeOf(error).toEqualTypeOf<ChallengeDeniedError & { readonly code: "CHALLENGE_DENIED" }>();
    if (isKontistAuthError(error, "CHALLENGE_EXPIRED"))
      expectTypeOf(error).toEqualTypeOf<ChallengeExpiredError & { readonly code: "CHALLENGE_EXPIRED" }>();
    if (isKontistAuthError(error, "DEVICE_BINDING_CANCELLED"))
      expectTypeOf(error).toEqualTypeOf<
        DeviceBindingCancelledError & { readonly code: "DEVICE_BINDING_CANCELLED" }
      >();
    if (isKontistAuthError(error, "DEVICE_BINDING_REJECTED"))
      expectTypeOf(error).toEqualTypeOf<
        DeviceBindingRejectedError & { readonly code: "DEVICE_BINDING_REJECTED" }
      >();
    if (isKontistAuthError(error, "DEVICE_BINDING_REQUEST_NOT_FOUND"))
      expectTypeOf(error).toEqualTypeOf<
        DeviceBindingRequestNotFoundError & { readonly code: "DEVICE_BINDING_REQUEST_NOT_FOUND" }
      >();
    if (isKontistAuthError(error, "GRAPHQL_ERROR"))
      expectTypeOf(error).toEqualTypeOf<GraphQLError & { readonly code: "GRAPHQL_ERROR" }>();
    if (isKontistAuthError(error, "HTTP_ERROR"))
      expectTypeOf(error).toEqualTypeOf<HttpError & { readonly code: "HTTP_ERROR" }>();
    if (isKontistAuthError(error, "MUTATION_REFUSED"))
      expectTypeOf(error).toEqualTypeOf<MutationRefusedError & { readonly code: "MUTATION_REFUSED" }>();
    if (isKontistAuthError(error, "NETWORK_ERROR"))
      expectTypeOf(error).toEqualTypeOf<NetworkError & { readonly code: "NETWORK_ERROR" }>();
    if (isKontistAuthError(error, "NO_TOKEN"))
      expectTypeOf(error).toEqualTypeOf<NoTokenError & { readonly code: "NO_TOKEN" }>();
    if (isKontistAuthError(error, "OAUTH2_ERROR"))
      expectTypeOf(error).toEqualTypeOf<OAuth2Error & { readonly code: "OAUTH2_ERROR" }>();
    if (isKontistAuthError(error, "STATE_MISMATCH"))
      expectTypeOf(error).toEqualTypeOf<StateMismatchError & { readonly code: "STATE_MISMATCH" }>();
    if (isKontistAuthError(error, "TIMEOUT"))
      expectTypeOf(error).toEqualTypeOf<TimeoutError & { readonly code: "TIMEOUT" }>();
    if (isKontistAuthError(error, "TOKEN_RENEWAL_FAILED"))
      expectTypeOf(error).toEqualTypeOf<TokenRenewalError & { readonly code: "TOKEN_RENEWAL_FAILED" }>();
    if (isKontistAuthError(error, "UNAUTHORIZED"))
      expectTypeOf(error).toEqualTypeOf<UnauthorizedError & { readonly code: "UNAUTHORIZED" }>();
    if (isKontistAuthError(error, "UNEXPECTED_REDIRECT"))
      expectTypeOf(error).toEqualTypeOf<UnexpectedRedirectError & { readonly code: "UNEXPECTED_REDIRECT" }>();
    if (isKontistAuthError(error, "WEBSOCKET_CLOSED"))
      expectTypeOf(error).toEqualTypeOf<WebSocketClosedError & { readonly code: "WEBSOCKET_CLOSED" }>();
    if (isKontistAuthError(error, "INVALID_RESPONSE"))
      expectTypeOf(error).toEqualTypeOf<ResponseValidationError & { readonly code: "INVALID_RESPONSE" }>();
    if (isKontistAuthError(error, "TOKEN_STORE_ERROR"))
      expectTypeOf(error).toEqualTypeOf<TokenStoreError & { readonly code: "TOKEN_STORE_ERROR" }>();
  });

  it("keeps each family under its parent class", () => {
    expectTypeOf<UnauthorizedError>().toExtend<HttpError>();
    expectTypeOf<ChallengeCancelledError>().toExtend<ChallengeError>();
    expectTypeOf<ChallengeDeniedError>().toExtend<ChallengeError>();
    expectTypeOf<ChallengeExpiredError>().toExtend<ChallengeError>();
    expectTypeOf<DeviceBindingCancelledError>().toExtend<DeviceBindingError>();
    expectTypeOf<DeviceBindingRejectedError>().toExtend<DeviceBindingError>();
    expectTypeOf<DeviceBindingRequestNotFoundError>().toExtend<DeviceBindingError>();
    expectTypeOf<HttpError>().toExtend<KontistAuthError>();
  });
});
