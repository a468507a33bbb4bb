import { describe, expectTypeOf, it } from "vitest";
import { type Client, type JwtClaims, Token, type TokenInit } from "../index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
describe("Token (types)", () => {
  it("is built from a TokenInit, of which only accessToken is required", () => {
    expectTypeOf(Token).constructorParameters.toEqualTypeOf<[init: TokenInit]>();
    expectTypeOf({ accessToken: "a" }).toExtend<TokenInit>();
    expectTypeOf({ refreshToken: "r" }).not.toExtend<TokenInit>();
    expectTypeOf<TokenInit>().toEqualTypeOf<{
      accessToken: string;
      refreshToken?: string | undefined;
      tokenType?: string | undefined;
      expiresAt?: Date | undefined;
      scopes?: readonly string[] | undefined;
      issuedAt?: Date | undefined;
    }>();
  });

  it("has readonly, typed fields", () => {
    type Fields =
      | "accessToken"
      | "refreshToken"
      | "tokenType"
      | "expiresAt"
      | "issuedAt"
      | "scopes"
      | "confirmed"
      | "claims";
    expectTypeOf<Pick<Token, Fields>>().toEqualTypeOf<{
      readonly accessToken: string;
      readonly refreshToken: string | undefined;
      readonly tokenType: string;
      readonly expiresAt: Date | undefined;
      readonly issuedAt: Date | undefined;
      readonly scopes: readonly string[];
      readonly confirmed: boolean;
      readonly claims: JwtClaims | undefined;
    }>();
    // Never called: only compiled.
    const mutate = (token: Token) => {
      // @ts-expect-error a token is immutable
      token.accessToken = "b";
      // @ts-expect-error its scopes too
      token.scopes.push("users");
    };
    expectTypeOf(mutate).toBeFunction();
  });

  it("tells expiry and serializes redacted", () => {
    expectTypeOf<Token["isExpired"]>().toEqualTypeOf<(leewaySeconds?: number, now?: Date) => boolean>();
    expectTypeOf<ReturnType<Token["toJSON"]>>().toEqualTypeOf<{
      tokenType: string;
      accessToken: "[redacted]";
      refreshToken?: "[redacted]" | undefined;
      expiresAt?: Date | undefined;
      scopes: readonly string[];
      confirmed: boolean;
    }>();
  });

  it("is what the token manager hands out", () => {
    type TokenManager = Client["auth"]["tokenManager"];
    expectTypeOf<TokenManager["getValidToken"]>().returns.resolves.toEqualTypeOf<Token>();
    expectTypeOf<TokenManager["refresh"]>().returns.resolves.toEqualTypeOf<Token>();
    expectTypeOf<TokenManager["fetchTokenFromCredentials"]>().returns.resolves.toEqualTypeOf<Token>();
    expectTypeOf<TokenManager["onTokenChange"]>().parameter(0).parameter(0).toEqualTypeOf<Token | null>();
  });
});
