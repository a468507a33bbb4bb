import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { describe, expect, it } from "vitest";
import { decodeStoredToken, encodeStoredToken } from "./storedTokenCodec";
import type { StoredToken } from "./TokenStore";

const token: StoredToken = {
  accessToken: "eyJhbGciOiJFUzI1NiJ9.secret-access.sig",
  refreshToken: "secret-refresh-token",
  tokenType: "Bearer",
  expiresAt: 1_800_000_000_000,
  scopes: ["users", "offline"],
};

function decodeError(text: string): Error {
  try {
    decodeStoredToken(text, "value in Redis");
  } catch (error) {
    return error as Error;
  }
  throw new Error("decodeStoredToken accepted a bad value");
}

describe("the stored token format", () => {
  it("round-trips every field, and leaves out missing optional ones", () => {
    expect(decodeStoredToken(encodeStoredToken(token), "value")).toEqual(token);
    const minimal = { accessToken: "a", tokenType: "Bearer", scopes: [] };
    expect(decodeStoredToken(encodeStoredToken(minimal), "value")).toEqual(minimal);
    expect(JSON.parse(encodeStoredToken(minimal)).token).toEqual(minimal);
  });

  it("writes the exact text Web Storage and Redis have always held, and names where it read", () => {
    expect(encodeStoredToken({ accessToken: "a", tokenType: "Bearer", scopes: ["users"] })).toBe(
      '{"format":"@kontist-auth/token-store","version":1,"token":{"accessToken":"a","tokenType":"Bearer","scopes":["users"]}}',
    );
    expect(decodeError("{").message).toMatch(/^The value in Redis is not a stored token: /);
  });

  it("drops fields that are not part of a StoredToken", () => {
    const extra = { ...token, confirmed: true } as StoredToken;
    expect(decodeStoredToken(encodeStoredToken(extra), "value")).toEqual(token);
  });

  const record = (changes: Record<string, unknown>) =>
    JSON.stringify({ ...JSON.parse(encodeStoredToken(token)), ...changes });
  const withToken = (changes: Record<string, unknown>) => record({ token: { ...token, ...changes } });

  it.each([
    ["not JSON", "{not json", /not JSON/],
    [
      "a JSON string",
      JSON.stringify("eyJhbGciOiJFUzI1NiJ9.secret-access.sig"),
      /not a @kontist-auth\/token-store record/,
    ],
    ["a bare token (no envelope)", JSON.stringify(token), /not a @kontist-auth\/token-store record/],
    ["another version", record({ version: 2 }), /version is not 1/],
    ["no token", record({ token: null }), /`token` is not a StoredToken/],
    ["an empty access token", withToken({ accessToken: "" }), /`token` is not a StoredToken/],
    ["a numeric refresh token", withToken({ refreshToken: 42 }), /`token` is not a StoredToken/],
    ["no token type", withToken({ tokenType: undefined }), /`token` is not a StoredToken/],
    ["a string expiry", withToken({ expiresAt: "tomorrow" }), /`token` is not a StoredToken/],
    ["scopes as a string", withToken({ scopes: "users offline" }), /`token` is not a StoredToken/],
  ])("rejects %s with TOKEN_STORE_CORRUPT, saying why but never quoting the value", (_name, text, reason) => {
    const error = decodeError(text);
    expect(isKontistAuthError(error, "TOKEN_STORE_CORRUPT")).toBe(true);
    expect(error.message).toMatch(reason);
    const shown = `${error.message} ${String(error)} ${JSON.stringify(error)}`;
    expect(shown).not.toContain("secret");
  });
});
