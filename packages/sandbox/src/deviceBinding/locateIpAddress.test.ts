import { describe, expect, it } from "vitest";
import { locateIpAddress } from "./locateIpAddress";

describe("locateIpAddress", () => {
  it("tells loopback addresses from the rest", () => {
    for (const address of ["127.0.0.1", "127.255.0.9", "::1"]) {
      expect(locateIpAddress(address), address).toBe("Loopback (sandbox)");
    }
    for (const address of ["203.0.113.7", "10.0.0.1", "::2", "1270.0.0.1", "unknown"]) {
      expect(locateIpAddress(address), address).toBe("Unknown location (sandbox)");
    }
  });
});
