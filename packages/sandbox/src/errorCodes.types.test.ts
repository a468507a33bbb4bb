import { isKontistAuthError } from "@kontist-auth/protocol";
import { describe, expectTypeOf, it } from "vitest";
import type { SandboxTestClientError } from "./index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
// `isKontistAuthError(error, code)` narrows an unknown value to the class the package registered for `code`.
// (Two classes with the same members are one type to TypeScript: the runtime tests check each code.)
describe("The sandbox test client's error codes (types)", () => {
  it("narrows each code to its class", () => {
    const error: unknown = new Error("not an SDK error");
    if (isKontistAuthError(error, "SANDBOX_REQUEST_FAILED"))
      expectTypeOf(error).toEqualTypeOf<
        SandboxTestClientError & { readonly code: "SANDBOX_REQUEST_FAILED" }
      >();
    if (isKontistAuthError(error, "SANDBOX_NOTHING_SENT"))
      expectTypeOf(error).toEqualTypeOf<SandboxTestClientError & { readonly code: "SANDBOX_NOTHING_SENT" }>();
  });
});
