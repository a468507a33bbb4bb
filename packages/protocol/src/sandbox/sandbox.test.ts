import { describe, expect, it } from "vitest";
import { sandboxMfaChallengeListSchema } from "./sandbox";
import { sandboxPaths } from "./sandboxPaths";

describe("sandboxMfaChallengeListSchema", () => {
  it("reads every challenge with its user, and refuses an unknown status", () => {
    const challenge = {
      id: "c-1",
      userId: "u-1",
      status: "PENDING",
      expiresAt: "2026-11-27T10:00:00.000Z",
    };
    expect(sandboxMfaChallengeListSchema.parse([challenge])).toEqual([challenge]);
    expect(sandboxMfaChallengeListSchema.safeParse([{ ...challenge, status: "EXPIRED" }]).success).toBe(
      false,
    );
    expect(sandboxMfaChallengeListSchema.safeParse([{ ...challenge, userId: "" }]).success).toBe(false);
  });
});

describe("sandboxPaths", () => {
  it("has the MFA test-support paths, ids encoded", () => {
    expect(sandboxPaths.mfaChallenges).toBe("/sandbox/mfa/challenges");
    expect(sandboxPaths.approveMfaChallenge("a/b")).toBe("/sandbox/mfa/challenges/a%2Fb/approve");
    expect(sandboxPaths.denyMfaChallenge("c")).toBe("/sandbox/mfa/challenges/c/deny");
    expect(sandboxPaths.deviceBindingRequestPage("a/b")).toBe("/sandbox/device-binding-requests/a%2Fb");
    expect(sandboxPaths.approveLogin).toBe("/sandbox/authorize/approve");
  });
});
