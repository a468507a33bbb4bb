import { createSoftwareSigner } from "@kontist-auth/crypto";
import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { describe, expect, it } from "vitest";
import { Pkcs11InvalidKeyError } from "../errors";
import { isP256EcParams, P256_EC_PARAMS, unwrapEcPoint } from "./ecPoint";

const point = await createSoftwareSigner().getPublicKey();

describe("unwrapEcPoint", () => {
  it("strips the DER OCTET STRING header 04 41 of CKA_EC_POINT", () => {
    expect(unwrapEcPoint(Uint8Array.of(0x04, 0x41, ...point))).toEqual(point);
  });

  it("accepts the bare 65-byte point some older tokens store", () => {
    expect(unwrapEcPoint(point)).toEqual(point);
  });

  it.each([
    ["a compressed point", Uint8Array.of(0x04, 0x21, 0x02, ...point.subarray(1, 33))],
    ["a wrong OCTET STRING length", Uint8Array.of(0x04, 0x40, ...point.subarray(0, 64))],
    ["a point off the curve", Uint8Array.of(0x04, 0x41, ...point.subarray(0, 64), (point[64] ?? 0) ^ 1)],
    ["nothing", new Uint8Array(0)],
  ])("rejects %s with Pkcs11InvalidKeyError", (_what, value) => {
    let error: unknown;
    try {
      unwrapEcPoint(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Pkcs11InvalidKeyError);
    expect(isKontistAuthError(error, "PKCS11_INVALID_KEY")).toBe(true);
    expect((error as Error).message).not.toMatch(/[0-9a-f]{16,}/i);
  });
});

describe("P256_EC_PARAMS", () => {
  it("is the DER of the OID 1.2.840.10045.3.1.7", () => {
    expect(Buffer.from(P256_EC_PARAMS).toString("hex")).toBe("06082a8648ce3d030107");
    expect(isP256EcParams(Buffer.from("06082a8648ce3d030107", "hex"))).toBe(true);
    expect(isP256EcParams(Buffer.from("06052b81040022", "hex"))).toBe(false); // P-384
  });
});
