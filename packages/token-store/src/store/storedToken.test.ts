import { describe, expect, it } from "vitest";
import { sampleStoredToken } from "../testing/sampleStoredToken";
import { checkedStoredToken, isStoredToken, normalizeStoredToken } from "./storedToken";

describe("normalizeStoredToken", () => {
  it("copies the known fields only", () => {
    const value = { ...sampleStoredToken(), extra: "x", confirmed: true };
    const copy = normalizeStoredToken(value);
    expect(copy).toEqual(sampleStoredToken());
    expect(copy?.scopes).not.toBe(value.scopes);
  });

  it.each([
    ["null", null],
    ["an array", []],
    ["no accessToken", { tokenType: "Bearer", scopes: [] }],
    ["an empty tokenType", { accessToken: "a", tokenType: "", scopes: [] }],
    ["scopes of numbers", { accessToken: "a", tokenType: "Bearer", scopes: [1] }],
    ["an infinite expiresAt", { accessToken: "a", tokenType: "Bearer", scopes: [], expiresAt: Infinity }],
    ["a null refreshToken", { accessToken: "a", tokenType: "Bearer", scopes: [], refreshToken: null }],
  ])("refuses %s", (_, value) => {
    expect(normalizeStoredToken(value)).toBeUndefined();
    expect(isStoredToken(value)).toBe(false);
  });

  it("checks set's arguments without quoting the token", () => {
    expect(() => checkedStoredToken("", sampleStoredToken())).toThrow(TypeError);
    const bad = { ...sampleStoredToken(), scopes: "users" } as never;
    expect(() => checkedStoredToken("k", bad)).toThrow(/StoredToken/);
    expect(() => checkedStoredToken("k", bad)).not.toThrow(/refresh-1/);
  });
});
