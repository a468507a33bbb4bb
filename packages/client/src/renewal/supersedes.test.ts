import { describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { Token } from "../token/Token";
import { supersedes } from "./supersedes";

const exp = 1_900_000_000;
const token = (claims: Record<string, unknown>, refreshToken?: string) =>
  new Token({ accessToken: fakeJwt({ sub: "user-1", exp, ...claims }), refreshToken });

describe("supersedes", () => {
  it("finding 2: takes a later token of the same user, and any token when there is none", () => {
    const current = token({});
    expect(supersedes(token({ exp: exp + 60 }), current)).toBe(true);
    expect(supersedes(token({ exp: exp - 60 }), current)).toBe(false);
    expect(supersedes(token({ jti: "same expiry" }), current)).toBe(false);
    expect(supersedes(current, current)).toBe(false);
    expect(supersedes(token({}), null)).toBe(true);
  });

  it("finding 2: never takes another user's token", () => {
    expect(supersedes(token({ sub: "user-2", exp: exp + 60 }), token({}))).toBe(false);
    expect(supersedes(token({ sub: undefined, exp: exp + 60 }), token({}))).toBe(false);
    const opaque = (accessToken: string, expiresAt: number) =>
      new Token({ accessToken, expiresAt: new Date(expiresAt * 1000) });
    expect(supersedes(opaque("b", exp + 60), opaque("a", exp))).toBe(true);
  });

  it("finding 2: a confirmed token beats an unconfirmed one, and never the other way round", () => {
    const confirmed = token({ cnf: { kid: "d" } });
    expect(supersedes(confirmed, token({ exp: exp + 3600 }))).toBe(true);
    expect(supersedes(token({ exp: exp + 3600 }), confirmed)).toBe(false);
    expect(supersedes(token({ cnf: { kid: "d" }, exp: exp + 60 }), confirmed)).toBe(true);
  });
});
