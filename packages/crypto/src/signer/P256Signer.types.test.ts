import { describe, expectTypeOf, it } from "vitest";
import { createSoftwareSigner, createWebCryptoSigner, type P256Signer } from "../index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
describe("P256Signer (types)", () => {
  it("is two async methods over bytes, nothing else", () => {
    expectTypeOf<keyof P256Signer>().toEqualTypeOf<"getPublicKey" | "sign">();
    expectTypeOf<P256Signer["getPublicKey"]>().toEqualTypeOf<() => Promise<Uint8Array>>();
    expectTypeOf<P256Signer["sign"]>().toEqualTypeOf<(message: Uint8Array) => Promise<Uint8Array>>();
  });

  it("is what a plain object with both methods is, and not one without sign or over strings", () => {
    const publicKey = async () => new Uint8Array(65);
    expectTypeOf({
      getPublicKey: publicKey,
      sign: async (message: Uint8Array) => message,
    }).toExtend<P256Signer>();
    expectTypeOf({ getPublicKey: publicKey }).not.toExtend<P256Signer>();
    expectTypeOf({
      getPublicKey: publicKey,
      sign: async (message: string) => message,
    }).not.toExtend<P256Signer>();
  });

  it("is implemented by the package's signers", () => {
    expectTypeOf(createSoftwareSigner).returns.toExtend<P256Signer>();
    expectTypeOf(createWebCryptoSigner).returns.resolves.toExtend<P256Signer>();
  });
});
