import { describe, expect, it } from "vitest";
import { hex, loadWycheproof } from "../../test/wycheproof";
import { InvalidPublicKeyError } from "../errors";
import { parseDeviceKeyHex } from "./parseDeviceKeyHex";
import { toDeviceKeyHex } from "./toDeviceKeyHex";

const publicKeys = [
  ...new Set(loadWycheproof("ecdsa_secp256r1_sha256_test.json").cases.map((c) => c.publicKey)),
];
const key = publicKeys[0] ?? "";

describe("parseDeviceKeyHex", () => {
  it("is the inverse of toDeviceKeyHex for every Wycheproof public key, in either case", () => {
    for (const k of publicKeys) {
      expect(parseDeviceKeyHex(k)).toEqual(hex(k));
      expect(parseDeviceKeyHex(k.toUpperCase())).toEqual(hex(k));
      expect(toDeviceKeyHex(parseDeviceKeyHex(k))).toBe(k.toLowerCase());
    }
  });

  it("rejects the wrong length", () => {
    for (const bad of ["", "04", key.slice(0, 128), `${key}00`, key.slice(0, 129), `${key}0`]) {
      expect(() => parseDeviceKeyHex(bad)).toThrow(/130 hex characters/);
    }
  });

  it("rejects characters that are not hex", () => {
    expect(() => parseDeviceKeyHex(`${key.slice(0, 128)}zz`)).toThrow(/must be hex/);
    expect(() => parseDeviceKeyHex(`0x${key.slice(2)}`)).toThrow(/must be hex/);
    expect(() => parseDeviceKeyHex(` ${key.slice(1)}`)).toThrow(InvalidPublicKeyError);
  });

  it("rejects a prefix other than 04", () => {
    for (const prefix of ["00", "02", "03", "05", "06", "07"]) {
      expect(() => parseDeviceKeyHex(prefix + key.slice(2))).toThrow(/first byte must be 0x04/);
    }
  });

  it("rejects a point off the curve", () => {
    const last = key.at(-1) === "0" ? "1" : "0";
    expect(() => parseDeviceKeyHex(key.slice(0, -1) + last)).toThrow(/not a point on the P-256 curve/);
    expect(() => parseDeviceKeyHex(`04${"0".repeat(128)}`)).toThrow(InvalidPublicKeyError);
  });

  it("throws TypeError for something that is not a string", () => {
    expect(() => parseDeviceKeyHex(hex(key) as never)).toThrow(TypeError);
  });
});
