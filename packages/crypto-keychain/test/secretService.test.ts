import { describe, expect, it } from "vitest";
import { ensureSecretService, probeSecretService, startBusWithoutSecretService } from "./secretService";

// The test setup itself: every keychain test depends on it, so its guarantees are checked too.

describe.runIf(process.platform === "linux")("ensureSecretService", () => {
  it("test workers inherit a usable Secret Service from the global setup", async () => {
    const address = process.env.DBUS_SESSION_BUS_ADDRESS;
    expect(address).toBeTruthy();
    expect(await probeSecretService(address ?? "")).toBeUndefined();
  });

  it("reuses a usable Secret Service instead of starting another", async () => {
    const session = await ensureSecretService();
    expect(session.started).toBe(false);
    expect(session.address).toBe(process.env.DBUS_SESSION_BUS_ADDRESS);
    await session.stop(); // nothing to end
    expect(await probeSecretService(session.address)).toBeUndefined();
  });

  it("starts a private one when the session has none; stop() ends it and restores the environment", async () => {
    const outer = process.env.DBUS_SESSION_BUS_ADDRESS;
    const bare = await startBusWithoutSecretService();
    try {
      process.env.DBUS_SESSION_BUS_ADDRESS = bare.address;
      expect(await probeSecretService(bare.address)).toBeDefined();

      const session = await ensureSecretService();
      expect(session.started).toBe(true);
      expect(session.address).not.toBe(bare.address);
      expect(process.env.DBUS_SESSION_BUS_ADDRESS).toBe(session.address);
      expect(await probeSecretService(session.address)).toBeUndefined();

      await session.stop();
      expect(process.env.DBUS_SESSION_BUS_ADDRESS).toBe(bare.address);
      expect(await probeSecretService(session.address)).toBeDefined();
    } finally {
      if (outer === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = outer;
      await bare.stop();
    }
  });
});
