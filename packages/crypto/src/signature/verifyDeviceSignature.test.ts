import { describe, expect, it } from "vitest";
import { hex, loadWycheproof } from "../../test/wycheproof";
import { toDeviceKeyHex } from "../encoding/toDeviceKeyHex";
import { InvalidPublicKeyError } from "../errors";
import { createSoftwareSigner } from "../signer/createSoftwareSigner";
import { createDeviceSignature } from "./createDeviceSignature";
import { verifyDeviceSignature } from "./verifyDeviceSignature";

const der = loadWycheproof("ecdsa_secp256r1_sha256_test.json");

describe("verifyDeviceSignature against Wycheproof ecdsa_secp256r1_sha256 (DER)", () => {
  it("has all 484 vectors, 174 valid and 310 invalid, and no 'acceptable' ones", () => {
    expect(der.numberOfTests).toBe(484);
    expect(der.cases).toHaveLength(484);
    expect(der.cases.filter((c) => c.result === "valid")).toHaveLength(174);
    expect(der.cases.filter((c) => c.result === "invalid")).toHaveLength(310);
  });

  it("agrees with every verdict", () => {
    const disagreements = der.cases.filter(
      (c) => verifyDeviceSignature(c.publicKey, hex(c.msg), c.sig) !== (c.result === "valid"),
    );
    expect(disagreements.map((c) => `${c.tcId} ${c.comment}`)).toEqual([]);
  });

  it("agrees with every verdict when the key and signature hex are upper case", () => {
    const disagreements = der.cases.filter(
      (c) =>
        verifyDeviceSignature(c.publicKey.toUpperCase(), hex(c.msg), c.sig.toUpperCase()) !==
        (c.result === "valid"),
    );
    expect(disagreements.map((c) => c.tcId)).toEqual([]);
  });
});

describe("verifyDeviceSignature", () => {
  it("signs and verifies the UTF-8 bytes of a string message", async () => {
    const signer = createSoftwareSigner();
    const key = toDeviceKeyHex(await signer.getPublicKey());
    const message = "Grüße, 🌍 — 123456";
    const signature = await createDeviceSignature(signer, message);
    expect(verifyDeviceSignature(key, message, signature)).toBe(true);
    expect(verifyDeviceSignature(key, new TextEncoder().encode(message), signature)).toBe(true);
    expect(verifyDeviceSignature(key, `${message} `, signature)).toBe(false);
  });

  it("returns false for bad hex, bad DER and another key's signature", async () => {
    const signer = createSoftwareSigner();
    const other = createSoftwareSigner();
    const key = toDeviceKeyHex(await signer.getPublicKey());
    const signature = await createDeviceSignature(other, "otp");
    expect(verifyDeviceSignature(key, "otp", signature)).toBe(false);
    for (const bad of ["", "zz", "3", "30", "3000", `${signature}00`, signature.slice(0, -2)]) {
      expect(verifyDeviceSignature(key, "otp", bad)).toBe(false);
    }
  });

  it("throws InvalidPublicKeyError for a malformed public key", () => {
    expect(() => verifyDeviceSignature("04abcd", "otp", "3006020101020101")).toThrow(InvalidPublicKeyError);
    expect(() => verifyDeviceSignature(`04${"00".repeat(64)}`, "otp", "3006020101020101")).toThrow(
      InvalidPublicKeyError,
    );
  });

  it("throws TypeError for arguments of the wrong type", () => {
    const key = der.cases[0]?.publicKey ?? "";
    expect(() => verifyDeviceSignature(key, 42 as never, "30")).toThrow(TypeError);
    expect(() => verifyDeviceSignature(key, "otp", new Uint8Array(70) as never)).toThrow(TypeError);
  });
});
