import { describe, expect, it } from "vitest";
import { mfaChallengeSchema } from "./mfa/mfa";
import { formatScope, parseScope } from "./oauth/scopes";
import { tokenRequestSchema } from "./oauth/token";
import { paths } from "./paths";

describe("tokenRequestSchema", () => {
  it("tells grants apart by grant_type", () => {
    const parsed = tokenRequestSchema.parse({
      grant_type: "password",
      username: "demo@example.com",
      password: "pw",
      scope: "users offline",
    });
    expect(parsed.grant_type).toBe("password");
    expect(tokenRequestSchema.safeParse({ grant_type: "refresh_token", refresh_token: "r" }).success).toBe(
      true,
    );
  });

  it("rejects an unknown grant and a password grant without a password", () => {
    expect(tokenRequestSchema.safeParse({ grant_type: "implicit" }).success).toBe(false);
    expect(tokenRequestSchema.safeParse({ grant_type: "password", username: "u" }).success).toBe(false);
  });

  it("accepts the 16-digit PKCE verifier of Kontist's docs and up to 128 unreserved characters", () => {
    const base = { grant_type: "authorization_code", code: "c", redirect_uri: "http://localhost/cb" };
    expect(tokenRequestSchema.safeParse({ ...base, code_verifier: "7963393253896189" }).success).toBe(true);
    expect(tokenRequestSchema.safeParse({ ...base, code_verifier: "a".repeat(128) }).success).toBe(true);
    expect(tokenRequestSchema.safeParse({ ...base, code_verifier: "a".repeat(129) }).success).toBe(false);
    expect(tokenRequestSchema.safeParse({ ...base, code_verifier: "" }).success).toBe(false);
    expect(tokenRequestSchema.safeParse({ ...base, code_verifier: `${"a".repeat(42)}+` }).success).toBe(
      false,
    );
  });
});

describe("mfaChallengeSchema", () => {
  it("accepts the documented states only", () => {
    const challenge = { id: "c", status: "PENDING", expiresAt: "2026-11-27T10:00:00.000Z" };
    expect(mfaChallengeSchema.safeParse(challenge).success).toBe(true);
    expect(mfaChallengeSchema.safeParse({ ...challenge, status: "EXPIRED" }).success).toBe(false);
  });
});

describe("scopes", () => {
  it("round-trips a scope list", () => {
    expect(formatScope(["users", "offline", "users"])).toBe("users offline");
    expect(parseScope(" users  offline ")).toEqual(["users", "offline"]);
    expect(parseScope(undefined)).toEqual([]);
  });
});

describe("paths", () => {
  it("builds the documented paths and encodes ids", () => {
    expect(paths.verifyDeviceChallenge("d-1", "c/2")).toBe("/api/user/devices/d-1/challenges/c%2F2/verify");
    expect(paths.mfaChallengeToken("m")).toBe("/api/user/mfa/challenges/m/token");
  });
});
