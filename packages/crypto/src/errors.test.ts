import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { describe, expect, it } from "vitest";
import { hex, loadWycheproof } from "../test/wycheproof";
import { fromDerSignatureHex } from "./encoding/fromDerSignatureHex";
import { normalizeLowS } from "./encoding/normalizeLowS";
import { parseDeviceKeyHex } from "./encoding/parseDeviceKeyHex";
import { toDerSignatureHex } from "./encoding/toDerSignatureHex";
import { toDeviceKeyHex } from "./encoding/toDeviceKeyHex";
import {
  IndexedDbUnavailableError,
  InvalidKeyPairError,
  InvalidPublicKeyError,
  InvalidSecretKeyError,
  KeyStorageError,
  SignatureEncodingError,
  SignerError,
  WebCryptoUnavailableError,
} from "./errors";
import { createDeviceSignature } from "./signature/createDeviceSignature";
import { verifyDeviceSignature } from "./signature/verifyDeviceSignature";
import { createSoftwareSigner } from "./signer/createSoftwareSigner";
import { describeErrorClasses } from "./testing/describeErrorClasses";

const der = loadWycheproof("ecdsa_secp256r1_sha256_test.json").cases;
const key = der[0]?.publicKey ?? "";

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describeErrorClasses("error classes", [
  [SignerError, "SIGNER_FAILED"],
  [SignatureEncodingError, "INVALID_SIGNATURE_ENCODING"],
  [InvalidPublicKeyError, "INVALID_PUBLIC_KEY"],
  [InvalidSecretKeyError, "INVALID_SECRET_KEY"],
  [InvalidKeyPairError, "INVALID_KEY_PAIR"],
  [WebCryptoUnavailableError, "WEBCRYPTO_UNAVAILABLE"],
  [IndexedDbUnavailableError, "INDEXEDDB_UNAVAILABLE"],
  [KeyStorageError, "KEY_STORAGE_FAILED"],
]);

describe("error families", () => {
  it("signer errors are SignerErrors, keeping their own codes", () => {
    for (const ErrorClass of [WebCryptoUnavailableError, InvalidKeyPairError, InvalidSecretKeyError]) {
      const error = new ErrorClass("message");
      expect(error).toBeInstanceOf(SignerError);
      expect(error.code).not.toBe("SIGNER_FAILED");
    }
  });

  it("IndexedDbUnavailableError is a KeyStorageError", () => {
    expect(new IndexedDbUnavailableError("message")).toBeInstanceOf(KeyStorageError);
  });

  it("encoding errors belong to no family", () => {
    for (const error of [new SignatureEncodingError("m"), new InvalidPublicKeyError("m")]) {
      expect(error).not.toBeInstanceOf(SignerError);
      expect(error).not.toBeInstanceOf(KeyStorageError);
    }
  });
});

describe("error messages never contain the inputs", () => {
  const secretKey = new Uint8Array(32).fill(0xff); // ≥ n: invalid
  const secretHex = Buffer.from(secretKey).toString("hex");
  const offCurveKey = `${key.slice(0, -2)}${key.endsWith("00") ? "01" : "00"}`;
  const invalidDer = der.filter((c) => c.result === "invalid").map((c) => c.sig);
  const highRs = new Uint8Array(64).fill(0xff);

  const cases: [what: string, input: string, error: () => Promise<unknown>][] = [
    [
      "an off-curve public key (parseDeviceKeyHex)",
      offCurveKey,
      async () => caught(() => parseDeviceKeyHex(offCurveKey)),
    ],
    [
      "an off-curve public key (toDeviceKeyHex)",
      offCurveKey,
      async () => caught(() => toDeviceKeyHex(hex(offCurveKey))),
    ],
    [
      "a public key with a wrong prefix",
      `05${key.slice(2)}`,
      async () => caught(() => parseDeviceKeyHex(`05${key.slice(2)}`)),
    ],
    [
      "an off-curve public key (verifyDeviceSignature)",
      offCurveKey,
      async () => caught(() => verifyDeviceSignature(offCurveKey, "otp", der[0]?.sig ?? "")),
    ],
    ["an invalid secret key", secretHex, async () => caught(() => createSoftwareSigner({ secretKey }))],
    [
      "an out-of-range r‖s (toDerSignatureHex)",
      secretHex,
      async () => caught(() => toDerSignatureHex(highRs)),
    ],
    ["an out-of-range r‖s (normalizeLowS)", secretHex, async () => caught(() => normalizeLowS(highRs))],
    [
      "a signer returning garbage",
      secretHex,
      async () =>
        createDeviceSignature(
          { getPublicKey: async () => new Uint8Array(65), sign: async () => highRs },
          "123456",
        ).catch((error: unknown) => error),
    ],
  ];

  function assertClean(error: unknown, input: string) {
    expect(isKontistAuthError(error)).toBe(true);
    const shown = [
      (error as Error).message,
      String(error),
      JSON.stringify(error),
      JSON.stringify((error as Error & { cause?: unknown }).cause ?? null),
    ].join("\n");
    expect(shown.toLowerCase()).not.toContain(input.toLowerCase().slice(0, 16));
    expect(shown.toLowerCase()).not.toContain(input.toLowerCase().slice(-16));
    expect(shown).not.toMatch(/[0-9a-f]{16,}/i);
  }

  it.each(cases)("%s", async (_what, input, error) => {
    assertClean(await error(), input);
  });

  it("for every invalid Wycheproof DER signature fromDerSignatureHex rejects", () => {
    let rejected = 0;
    for (const sig of invalidDer) {
      let error: unknown;
      try {
        fromDerSignatureHex(sig);
        continue; // well-formed DER, invalid for another reason (checked by verifyDeviceSignature's tests)
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SignatureEncodingError);
      if (sig.length >= 16) assertClean(error, sig);
      rejected++;
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
