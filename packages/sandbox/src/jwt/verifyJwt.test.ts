import { describe, expect, it } from "vitest";
import { createSigningKey } from "./createSigningKey";
import { signJwt } from "./signJwt";
import { verifyJwt } from "./verifyJwt";

const key = createSigningKey();
const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

describe("verifyJwt", () => {
  it("accepts the token it signed", async () => {
    expect(verifyJwt(await signJwt({ sub: "u-1" }, key, "at+jwt"), key)).toEqual({ sub: "u-1" });
  });

  // Found by the route fuzzer: 64 signature bytes are 86 base64url characters, whose last 4 bits are
  // unused, so 15 other spellings of each token decoded to the same signature and were accepted.
  it("refuses every other spelling of the same signature bytes", async () => {
    const token = await signJwt({ sub: "u-1" }, key, "at+jwt");
    const last = base64url.indexOf(token.at(-1) ?? "");
    for (let bits = 1; bits < 16; bits++) {
      const twin = `${token.slice(0, -1)}${base64url[last ^ bits]}`;
      expect(Buffer.from(twin.split(".")[2] ?? "", "base64url")).toEqual(
        Buffer.from(token.split(".")[2] ?? "", "base64url"),
      );
      expect(verifyJwt(twin, key)).toBeUndefined();
    }
  });

  it("refuses a signature with padding or of the wrong length", async () => {
    const token = await signJwt({ sub: "u-1" }, key, "at+jwt");
    for (const bad of [`${token}=`, `${token}==`, token.slice(0, -1), `${token}A`]) {
      expect(verifyJwt(bad, key)).toBeUndefined();
    }
  });

  it("answers a token it has seen the same way again, and never lets a remembered payload be changed", async () => {
    const token = await signJwt({ sub: "u-2" }, key, "at+jwt");
    const first = verifyJwt(token, key);
    if (first === undefined) throw new Error("the token did not verify");
    first.sub = "someone-else";
    expect(verifyJwt(token, key)).toEqual({ sub: "u-2" });
    // Remembered per key: another sandbox's key does not know it.
    expect(verifyJwt(token, createSigningKey())).toBeUndefined();
    const twin = `${token.slice(0, -1)}${base64url[base64url.indexOf(token.at(-1) ?? "") ^ 1]}`;
    expect(verifyJwt(twin, key)).toBeUndefined();
  });
});
