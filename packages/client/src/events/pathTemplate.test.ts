import { paths } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { pathTemplate } from "./pathTemplate";

describe("pathTemplate", () => {
  it("keeps the API's fixed paths as they are", () => {
    for (const path of [paths.token, paths.devices, paths.mfaChallenges, paths.graphQL, paths.logout]) {
      expect(pathTemplate(path)).toBe(path);
    }
  });

  it("replaces ids, numbers and encoded segments by {id}", () => {
    const id = "8c1e2f4a-9b7d-4e3c-a1f0-5d6e7f8a9b0c";
    expect(pathTemplate(paths.verifyDeviceChallenge(id, "c-1"))).toBe(
      "/api/user/devices/{id}/challenges/{id}/verify",
    );
    expect(pathTemplate(paths.mfaChallengeToken(id))).toBe("/api/user/mfa/challenges/{id}/token");
    expect(pathTemplate("/api/user/transfers/42")).toBe("/api/user/transfers/{id}");
    expect(pathTemplate(paths.mfaChallenge("a b/c"))).toBe("/api/user/mfa/challenges/{id}");
    expect(pathTemplate("/api/user/ABCdef")).toBe("/api/user/{id}");
  });

  it("leaves out a query string and a fragment", () => {
    expect(pathTemplate("/api/user/mfa/challenges?access_token=secret#x")).toBe("/api/user/mfa/challenges");
    expect(pathTemplate("/api/user?a=1\n2")).toBe("/api/user");
  });
});
