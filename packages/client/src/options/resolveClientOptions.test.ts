import { describe, expect, it } from "vitest";
import { clientDefaults, resolveClientOptions } from "./resolveClientOptions";

describe("clientDefaults", () => {
  it("holds every default once, frozen", () => {
    expect(Object.isFrozen(clientDefaults)).toBe(true);
    expect(clientDefaults).toMatchObject({
      baseUrl: "https://api.kontist.com",
      timeout: 10_000,
      refreshLeeway: 30_000,
      silentRenewalTimeout: 10_000,
      allowInsecureHttp: false,
      skipStateCheck: false,
      pollInterval: 3_000,
      bindingConfirmationTimeout: 600_000,
    });
    expect(clientDefaults.tokenStoreKey("demo-client")).toBe("kontist-auth:demo-client");
    expect(clientDefaults.tokenStoreKey()).toBe("kontist-auth");
  });
});

describe("resolveClientOptions", () => {
  it("fills in the defaults", () => {
    expect(resolveClientOptions({ clientId: "c" })).toMatchObject({
      baseUrl: clientDefaults.baseUrl,
      timeout: clientDefaults.timeout,
      refreshLeeway: clientDefaults.refreshLeeway,
      silentRenewalTimeout: clientDefaults.silentRenewalTimeout,
      skipStateCheck: false,
      scopes: [],
      tokenStoreKey: "kontist-auth:c",
      logoutUri: "https://api.kontist.com/oauth/logout",
    });
  });

  it("drops a trailing slash of baseUrl, keeps its path, and derives logoutUri from it", () => {
    const resolved = resolveClientOptions({ baseUrl: "http://127.0.0.1:4010/kontist/" });
    expect(resolved.baseUrl).toBe("http://127.0.0.1:4010/kontist");
    expect(resolved.logoutUri).toBe("http://127.0.0.1:4010/kontist/oauth/logout");
  });

  it("copies scopes, so a later change to the caller's array does not reach the client", () => {
    const scopes = ["users"];
    const resolved = resolveClientOptions({ clientId: "c", scopes });
    scopes.push("offline");
    expect(resolved.scopes).toEqual(["users"]);
  });
});
