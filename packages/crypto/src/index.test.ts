import { describe, expect, it } from "vitest";
import { entryPointShapes } from "../../../test/exportShape";

describe("@kontist-auth/crypto", () => {
  // An accidental export, or a removed one, changes the public API: update the snapshot on purpose only.
  it("exports exactly its public API, per entry point", async () => {
    expect(await entryPointShapes(new URL("..", import.meta.url))).toMatchInlineSnapshot(`
      {
        ".": {
          "IndexedDbUnavailableError": "class",
          "InvalidKeyPairError": "class",
          "InvalidPublicKeyError": "class",
          "InvalidSecretKeyError": "class",
          "KeyStorageError": "class",
          "SignatureEncodingError": "class",
          "SignerError": "class",
          "WebCryptoUnavailableError": "class",
          "createDeviceSignature": "function",
          "createSoftwareSigner": "function",
          "createWebCryptoSigner": "function",
          "deleteKeyPair": "function",
          "loadKeyPair": "function",
          "parseDeviceKeyHex": "function",
          "saveKeyPair": "function",
          "toDeviceKeyHex": "function",
          "verifyDeviceSignature": "function",
        },
        "./backend": {
          "assertSignMessage": "function",
          "fromDerSignatureHex": "function",
          "generateSecretKey": "function",
          "isBytes": "function",
          "isLowS": "function",
          "isValidSecretKey": "function",
          "normalizeLowS": "function",
          "publicKeyFromSecretKey": "function",
          "signWithSecretKey": "function",
          "toDerSignatureHex": "function",
        },
        "./testing": {
          "describeErrorClasses": "function",
          "describeSignerConformance": "function",
          "nodePublicKey": "function",
        },
      }
    `);
  });
});
