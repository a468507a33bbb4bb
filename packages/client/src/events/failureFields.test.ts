import { KontistAuthError } from "@kontist-auth/protocol";
import { TokenStoreError } from "@kontist-auth/token-store";
import { describe, expect, it } from "vitest";
import { HttpError } from "../errors/HttpError";
import { OAuth2Error } from "../errors/OAuth2Error";
import { TimeoutError } from "../errors/TimeoutError";
import { failureFields } from "./failureFields";

describe("failureFields", () => {
  it("tells an SDK error's code and status, an OAuth2 error's code, and nothing of its message", () => {
    const refused = new OAuth2Error(
      { error: "invalid_grant", error_description: "refresh token rt-secret is revoked" },
      400,
      "POST /api/oauth/token",
    );
    expect(failureFields(refused)).toEqual({
      code: "OAUTH2_ERROR",
      status: 400,
      oauthError: "invalid_grant",
    });
    expect(JSON.stringify(failureFields(refused))).not.toContain("rt-secret");
    expect(failureFields(new TimeoutError("POST /api/oauth/token", 10_000))).toEqual({ code: "TIMEOUT" });
    expect(failureFields(new TokenStoreError("TOKEN_STORE_LOCK_TIMEOUT", "busy"))).toEqual({
      code: "TOKEN_STORE_LOCK_TIMEOUT",
    });
    expect(failureFields(new HttpError(503, "POST /api/oauth/token"))).toEqual({
      code: "HTTP_ERROR",
      status: 503,
    });
    expect(failureFields(new KontistAuthError("SOME_CODE" as never, "x"))).toEqual({ code: "SOME_CODE" });
  });

  it("takes an `error` field as an OAuth2 error code only from an OAUTH2_ERROR", () => {
    const other = Object.assign(new Error("x"), { code: "HTTP_ERROR", error: "eyJ-not-a-code" });
    expect(failureFields(other)).toEqual({ code: "HTTP_ERROR" });
  });

  it("says UNKNOWN for anything without a string code", () => {
    expect(failureFields(new Error("the token eyJ… is bad"))).toEqual({ code: "UNKNOWN" });
    expect(failureFields("a string")).toEqual({ code: "UNKNOWN" });
    expect(failureFields(undefined)).toEqual({ code: "UNKNOWN" });
    expect(failureFields({ code: 42 })).toEqual({ code: "UNKNOWN" });
  });
});
