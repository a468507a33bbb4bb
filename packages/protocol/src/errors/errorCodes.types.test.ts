import { describe, expectTypeOf, it } from "vitest";
import {
  isKontistAuthError,
  type KontistAuthError,
  type KontistAuthErrorCode,
  type KontistAuthErrorCodes,
  type ResponseValidationError,
} from "./index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
// `isKontistAuthError(error, code)` narrows an unknown value to the class the package registered for `code`.
// (Two classes with the same members are one type to TypeScript: the runtime tests check each code.)
describe("Protocol's error codes (types)", () => {
  it("narrows each code to its class", () => {
    const error: unknown = new Error("not an SDK error");
    if (isKontistAuthError(error, "INVALID_RESPONSE"))
      expectTypeOf(error).toEqualTypeOf<ResponseValidationError & { readonly code: "INVALID_RESPONSE" }>();
  });

  it("keeps each family under its parent class", () => {
    expectTypeOf<ResponseValidationError>().toExtend<KontistAuthError>();
  });

  it("knows only registered codes, and narrows to the base class without one", () => {
    const error: unknown = new Error("not an SDK error");
    if (isKontistAuthError(error)) expectTypeOf(error).toEqualTypeOf<KontistAuthError>();
    expectTypeOf<"INVALID_RESPONSE">().toExtend<KontistAuthErrorCode>();
    expectTypeOf<KontistAuthErrorCodes["INVALID_RESPONSE"]>().toEqualTypeOf<ResponseValidationError>();
    // @ts-expect-error not a code of the SDK
    isKontistAuthError(error, "NO_SUCH_CODE");
  });
});
