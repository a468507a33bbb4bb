import { describe, expect, it } from "vitest";
import * as crypto from "./index";

describe("@kontist-auth/crypto", () => {
  // Adding or removing a public export must be a deliberate change to this list.
  it("exports exactly its public API", () => {
    expect(Object.keys(crypto).sort()).toEqual([
      "InvalidPublicKeyError",
      "InvalidSecretKeyError",
      "SignatureEncodingError",
      "SignerError",
      "createDeviceSignature",
      "createSoftwareSigner",
      "fromDerSignatureHex",
      "isLowS",
      "normalizeLowS",
      "parseDeviceKeyHex",
      "toDerSignatureHex",
      "toDeviceKeyHex",
      "verifyDeviceSignature",
    ]);
  });
});
