import { describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { decodeJwtClaims } from "./decodeJwtClaims";

describe("decodeJwtClaims", () => {
  it("decodes the base64url JSON payload of a JWT without verifying it", () => {
    const claims = {
      sub: "user-1",
      scope: "users offline",
      exp: 1_900_000_000,
      cnf: { kid: "k" },
      name: "Jürgen ~?>",
    };
    expect(decodeJwtClaims(fakeJwt(claims))).toEqual(claims);
  });

  it.each([
    ["an opaque token", "2YotnFZFEjr1zCsicMWpAA"],
    ["two segments", "eyJhIjoxfQ.eyJhIjoxfQ"],
    ["four segments", "a.eyJhIjoxfQ.b.c"],
    ["a payload that is not base64url", "a.eyJ+IjoxfQ==.b"],
    ["a payload that is not JSON", `a.${Buffer.from("not json").toString("base64url")}.b`],
    ["a JSON array payload", `a.${Buffer.from("[1,2]").toString("base64url")}.b`],
    ["a JSON null payload", `a.${Buffer.from("null").toString("base64url")}.b`],
    ["a payload that is not UTF-8", `a.${Buffer.from([0x7b, 0xff, 0x7d]).toString("base64url")}.b`],
    ["an empty payload", "a..b"],
  ])("gives undefined for %s", (_, token) => {
    expect(decodeJwtClaims(token)).toBeUndefined();
  });
});
