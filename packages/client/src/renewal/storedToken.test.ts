import { describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { Token } from "../token/Token";
import { fromStoredToken, toStoredToken } from "./storedToken";

describe("toStoredToken / fromStoredToken", () => {
  it("round-trip a token; confirmed and claims are read from the JWT again", () => {
    const accessToken = fakeJwt({ sub: "u", exp: 1_900_000_000, cnf: { kid: "k" } });
    const token = new Token({
      accessToken,
      refreshToken: "rt",
      expiresAt: new Date(1_900_000_000_123),
      scopes: ["users", "offline"],
    });
    const stored = toStoredToken(token);
    expect(stored).toEqual({
      accessToken,
      refreshToken: "rt",
      tokenType: "Bearer",
      expiresAt: 1_900_000_000_123,
      scopes: ["users", "offline"],
    });
    expect(JSON.parse(JSON.stringify(stored))).toEqual(stored);
    const back = fromStoredToken(stored);
    expect(back).toMatchObject({
      accessToken,
      refreshToken: "rt",
      confirmed: true,
      scopes: ["users", "offline"],
    });
    expect(back.expiresAt).toEqual(token.expiresAt);
    expect(back.claims).toEqual(token.claims);
  });

  it("leaves out what a token does not have", () => {
    expect(toStoredToken(new Token({ accessToken: "opaque" }))).toEqual({
      accessToken: "opaque",
      tokenType: "Bearer",
      scopes: [],
    });
  });
});
