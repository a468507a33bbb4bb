import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sampleStoredToken } from "../testing/sampleStoredToken";
import { parseTokenFile, serializeTokenFile } from "./tokenFileFormat";

describe("the token file format", () => {
  it("round-trips plain and encrypted, a key named __proto__ included", () => {
    const tokens = new Map([
      ["__proto__", sampleStoredToken(1)],
      ["kontist-auth:c", sampleStoredToken(2)],
    ]);
    const key = randomBytes(32);
    expect(parseTokenFile(serializeTokenFile(tokens, undefined), undefined, "f")).toEqual(tokens);
    expect(parseTokenFile(serializeTokenFile(tokens, key), key, "f")).toEqual(tokens);
    expect(({} as Record<string, unknown>).accessToken).toBeUndefined();
  });

  it("authenticates the header: an encrypted file relabelled as another version does not open", () => {
    const key = randomBytes(32);
    const document = JSON.parse(serializeTokenFile(new Map([["k", sampleStoredToken()]]), key));
    const otherIv = { ...document, iv: randomBytes(12).toString("base64url") };
    expect(() => parseTokenFile(JSON.stringify(otherIv), key, "f")).toThrow(
      expect.objectContaining({ code: "TOKEN_STORE_DECRYPTION_FAILED" }),
    );
  });
});
