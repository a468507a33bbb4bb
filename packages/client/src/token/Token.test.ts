import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { Token } from "./Token";

const exp = 1_900_000_000;

describe("Token", () => {
  it("is confirmed when the JWT carries a cnf claim", () => {
    const token = new Token({ accessToken: fakeJwt({ sub: "u", exp, cnf: { kid: "device-1" } }) });
    expect(token.confirmed).toBe(true);
    expect(token.claims?.cnf).toEqual({ kid: "device-1" });
  });

  it("is unconfirmed without a cnf claim, with a non-object cnf, or for an opaque token", () => {
    expect(new Token({ accessToken: fakeJwt({ sub: "u", exp }) }).confirmed).toBe(false);
    expect(new Token({ accessToken: fakeJwt({ sub: "u", cnf: "yes" }) }).confirmed).toBe(false);
    expect(new Token({ accessToken: fakeJwt({ sub: "u", cnf: null }) }).confirmed).toBe(false);
    const opaque = new Token({ accessToken: "2YotnFZFEjr1zCsicMWpAA" });
    expect(opaque.confirmed).toBe(false);
    expect(opaque.claims).toBeUndefined();
    expect(opaque.expiresAt).toBeUndefined();
    expect(opaque.scopes).toEqual([]);
  });

  it("takes expiresAt from the JWT exp claim unless it is given", () => {
    const accessToken = fakeJwt({ exp, scope: "users offline" });
    expect(new Token({ accessToken }).expiresAt).toEqual(new Date(exp * 1000));
    const given = new Date("2030-01-01T00:00:00Z");
    expect(new Token({ accessToken, expiresAt: given }).expiresAt).toEqual(given);
    expect(new Token({ accessToken: fakeJwt({ exp: "soon" }) }).expiresAt).toBeUndefined();
  });

  it("takes scopes from the JWT scope claim unless they are given", () => {
    const accessToken = fakeJwt({ exp, scope: "users  offline" });
    expect(new Token({ accessToken }).scopes).toEqual(["users", "offline"]);
    expect(new Token({ accessToken, scopes: ["accounts"] }).scopes).toEqual(["accounts"]);
  });

  it("defaults tokenType to Bearer and treats an empty refresh token as none", () => {
    const token = new Token({ accessToken: "a", refreshToken: "" });
    expect(token.tokenType).toBe("Bearer");
    expect(token.refreshToken).toBeUndefined();
  });

  it("refuses an empty access token", () => {
    expect(() => new Token({ accessToken: "" })).toThrow(TypeError);
  });

  it("tells whether it has expired, with a leeway", () => {
    const token = new Token({ accessToken: "a", expiresAt: new Date("2030-01-01T00:01:00Z") });
    expect(token.isExpired(0, new Date("2030-01-01T00:00:00Z"))).toBe(false);
    expect(token.isExpired(60, new Date("2030-01-01T00:00:00Z"))).toBe(true);
    expect(token.isExpired(0, new Date("2030-01-01T00:02:00Z"))).toBe(true);
    expect(new Token({ accessToken: "a" }).isExpired()).toBe(false);
  });

  it("shows no token string in util.inspect", () => {
    const accessToken = fakeJwt({ exp, scope: "users", cnf: { kid: "k" } });
    const token = new Token({ accessToken, refreshToken: "refresh-secret-1234" });
    for (const text of [inspect(token), inspect({ nested: [token] }, { depth: 5 }), `${token}`]) {
      expect(text).not.toContain(accessToken);
      expect(text).not.toContain(accessToken.split(".")[1]);
      expect(text).not.toContain("refresh-secret-1234");
    }
    expect(inspect(token)).toContain("confirmed: true");
    expect(inspect(token)).toContain("[redacted]");
  });

  it("finding 3: JSON.stringify shows the same redacted summary as util.inspect", () => {
    const accessToken = fakeJwt({ sub: "u", exp, scope: "users", cnf: { kid: "k" } });
    const token = new Token({ accessToken, refreshToken: "refresh-secret-1234" });
    for (const text of [JSON.stringify(token), JSON.stringify({ nested: [token] })]) {
      expect(text).not.toContain(accessToken);
      expect(text).not.toContain(accessToken.split(".")[1]);
      expect(text).not.toContain("refresh-secret-1234");
    }
    expect(JSON.parse(JSON.stringify(token))).toEqual({
      tokenType: "Bearer",
      accessToken: "[redacted]",
      refreshToken: "[redacted]",
      expiresAt: new Date(exp * 1000).toISOString(),
      scopes: ["users"],
      confirmed: true,
    });
    expect(JSON.parse(JSON.stringify(new Token({ accessToken: "opaque" })))).toEqual({
      tokenType: "Bearer",
      accessToken: "[redacted]",
      scopes: [],
      confirmed: false,
    });
  });

  it("finding 7: ignores a JWT exp or iat no Date can hold, instead of making an Invalid Date", () => {
    for (const huge of [1e13, 1e300, -1e13]) {
      const token = new Token({ accessToken: fakeJwt({ sub: "u", exp: huge, iat: huge }) });
      expect(token.expiresAt).toBeUndefined();
      expect(token.issuedAt).toBeUndefined();
      expect(token.isExpired()).toBe(false);
    }
  });

  it("finding 7: takes issuedAt from the JWT iat claim unless it is given", () => {
    const iat = exp - 3600;
    expect(new Token({ accessToken: fakeJwt({ iat, exp }) }).issuedAt).toEqual(new Date(iat * 1000));
    const given = new Date("2030-01-01T00:00:00Z");
    expect(new Token({ accessToken: fakeJwt({ iat, exp }), issuedAt: given }).issuedAt).toEqual(given);
    expect(new Token({ accessToken: "opaque" }).issuedAt).toBeUndefined();
  });
});
