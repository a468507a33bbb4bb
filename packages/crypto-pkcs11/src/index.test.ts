import { describe, expect, it } from "vitest";
import * as pkcs11 from "./index";

describe("@kontist-auth/crypto-pkcs11", () => {
  // Adding or removing a public export must be a deliberate change to this list.
  it("exports exactly its public API", () => {
    expect(Object.keys(pkcs11).sort()).toEqual([
      "Pkcs11AlreadyLoggedInError",
      "Pkcs11ExtractableKeyError",
      "Pkcs11InvalidKeyError",
      "Pkcs11KeyNotFoundError",
      "Pkcs11LoginError",
      "Pkcs11ModuleError",
      "Pkcs11OperationError",
      "Pkcs11SignerClosedError",
      "Pkcs11TokenNotFoundError",
      "createPkcs11Signer",
    ]);
  });
});
