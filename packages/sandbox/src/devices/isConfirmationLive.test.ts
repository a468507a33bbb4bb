import { describe, expect, it } from "vitest";
import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
import { createSandboxStore, type DeviceRecord, type MfaChallengeRecord } from "../state/SandboxStore";
import { isConfirmationLive } from "./isConfirmationLive";

const config = resolveSandboxOptions();
const [demo, other] = config.users;
const userId = demo?.id ?? "";

function device(id: string, verified: boolean): DeviceRecord {
  return {
    id,
    userId,
    name: "phone",
    keyHex: "04",
    createdAt: "",
    verified,
    bindingRequestId: undefined,
  };
}

function challenge(id: string, fields: Partial<MfaChallengeRecord>): MfaChallengeRecord {
  return {
    id,
    userId,
    clientId: "demo-client",
    scopes: [],
    sessionId: "s",
    status: "VERIFIED",
    expiresAt: 0,
    deviceId: undefined,
    tokenIssued: false,
    ...fields,
  };
}

describe("isConfirmationLive (finding 11)", () => {
  it("holds for a verified device of the user and for a push challenge the sandbox's phone approved", () => {
    const store = createSandboxStore(config);
    store.devices.set("d", device("d", true));
    store.mfaChallenges.set("c", challenge("c", {}));
    expect(isConfirmationLive(store, userId, "d")).toBe(true);
    expect(isConfirmationLive(store, userId, "c")).toBe(true);
  });

  it("fails for a deleted or unverified device, another user's, or a challenge a device approved or that is not verified", () => {
    const store = createSandboxStore(config);
    store.devices.set("unverified", device("unverified", false));
    store.mfaChallenges.set("by-device", challenge("by-device", { deviceId: "gone" }));
    store.mfaChallenges.set("denied", challenge("denied", { status: "DENIED" }));
    store.devices.set("d", device("d", true));
    expect(isConfirmationLive(store, userId, "gone")).toBe(false);
    expect(isConfirmationLive(store, userId, "unverified")).toBe(false);
    expect(isConfirmationLive(store, userId, "by-device")).toBe(false);
    expect(isConfirmationLive(store, userId, "denied")).toBe(false);
    expect(isConfirmationLive(store, other?.id ?? "", "d")).toBe(false);
  });
});
