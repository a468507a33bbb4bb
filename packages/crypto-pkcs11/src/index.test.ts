import { describe, expect, it } from "vitest";
import { entryPointShapes } from "../../../test/exportShape";

describe("@kontist-auth/crypto-pkcs11", () => {
  // An accidental export, or a removed one, changes the public API: update the snapshot on purpose only.
  it("exports exactly its public API, per entry point", async () => {
    expect(await entryPointShapes(new URL("..", import.meta.url))).toMatchInlineSnapshot(`
      {
        ".": {
          "Pkcs11AlreadyLoggedInError": "class",
          "Pkcs11Error": "class",
          "Pkcs11ExtractableKeyError": "class",
          "Pkcs11InvalidKeyError": "class",
          "Pkcs11KeyNotFoundError": "class",
          "Pkcs11LoginError": "class",
          "Pkcs11ModuleError": "class",
          "Pkcs11OperationError": "class",
          "Pkcs11SignerClosedError": "class",
          "Pkcs11TokenNotFoundError": "class",
          "createPkcs11Signer": "function",
        },
      }
    `);
  });
});
