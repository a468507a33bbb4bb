import { describe, expect, it } from "vitest";
import * as crypto from "./index";
import * as testing from "./testing";

describe("@kontist-auth/crypto", () => {
  // Adding or removing a public export must be a deliberate change to this list.
  it("exports exactly its public API", () => {
    expect(Object.keys(crypto).sort()).toEqual([
      "IndexedDbUnavailableError",
      "InvalidKeyPairError",
      "InvalidPublicKeyError",
      "InvalidSecretKeyError",
      "KeyStorageError",
      "SignatureEncodingError",
      "SignerError",
      "WebCryptoUnavailableError",
      "createDeviceSignature",
      "createSoftwareSigner",
      "createWebCryptoSigner",
      "deleteKeyPair",
      "fromDerSignatureHex",
      "isLowS",
      "loadKeyPair",
      "normalizeLowS",
      "parseDeviceKeyHex",
      "saveKeyPair",
      "toDerSignatureHex",
      "toDeviceKeyHex",
      "verifyDeviceSignature",
    ]);
  });

  it("the testing entry exports exactly the kit", () => {
    expect(Object.keys(testing).sort()).toEqual(["describeSignerConformance", "nodePublicKey"]);
  });
});
