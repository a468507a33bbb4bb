import { describe, expect, it } from "vitest";
import { derSignatureHexSchema, deviceKeyHexSchema } from "./fields";

const key = `04${"ab".repeat(64)}`;

describe("deviceKeyHexSchema", () => {
  it("accepts 130 hex characters starting 04, in either case", () => {
    expect(deviceKeyHexSchema.safeParse(key).success).toBe(true);
    expect(deviceKeyHexSchema.safeParse(key.toUpperCase()).success).toBe(true);
  });

  it.each([
    ["a SubjectPublicKeyInfo header", `3059301306072a8648ce3d020106082a8648ce3d030107034200${key}`],
    ["a compressed point", `02${"ab".repeat(32)}`],
    ["one character short", key.slice(0, -1)],
    ["a non-hex character", `${key.slice(0, -1)}g`],
    ["an 05 prefix", `05${"ab".repeat(64)}`],
  ])("rejects %s", (_name, value) => {
    expect(deviceKeyHexSchema.safeParse(value).success).toBe(false);
  });
});

describe("derSignatureHexSchema", () => {
  const der = `3044022${"0"}${"11".repeat(32)}0220${"22".repeat(32)}`;

  it("accepts a DER SEQUENCE in either case", () => {
    expect(derSignatureHexSchema.safeParse(der).success).toBe(true);
    expect(derSignatureHexSchema.safeParse(der.toUpperCase()).success).toBe(true);
  });

  it.each([
    ["raw r‖s", "11".repeat(64)],
    ["odd length", `${der}0`],
    ["too long", `30${"00".repeat(72)}`],
    ["empty", ""],
  ])("rejects %s", (_name, value) => {
    expect(derSignatureHexSchema.safeParse(value).success).toBe(false);
  });
});
