import { sleep } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { authorizeWithLogin, authorizeWithMfa, exchangeCode, startMfaLogin } from "../../test/authorization";
import {
  bindDevice,
  callApi,
  createChallenge,
  createDevice,
  demo,
  jwtPayload,
  passwordToken,
  postToken,
} from "../../test/requests";
import { type RunningSandbox, type SandboxOptions, sandboxDefaults, startSandbox } from "../index";

const confidential = { client_id: demo.clientId, client_secret: demo.clientSecret };

/** Every lifetime 1.5 s, so a test sees state expire (and a slow machine still builds it in time). */
const lifetime = 1.5;
const shortLived: SandboxOptions = {
  port: 0,
  refreshTokenTtl: lifetime,
  sessionTtl: lifetime,
  authorizationCodeTtl: lifetime,
  otpTtl: lifetime,
  challengeTtl: lifetime,
  mfaChallengeTtl: lifetime,
  deviceBindingWindow: lifetime,
  deviceRegistrationWindow: lifetime,
  deviceRegistrationLimit: 100,
  rateLimit: { requests: 10_000, windowMs: lifetime * 1000 },
};
const expiry = lifetime * 1000 + 100;

/** One of each kind of state: logins, codes, sessions, devices, OTPs, challenges, binding requests. */
async function buildState(sandbox: RunningSandbox): Promise<void> {
  const { access_token } = await passwordToken(sandbox);
  const { code } = await authorizeWithLogin(sandbox, { scope: "accounts offline" });
  expect((await exchangeCode(sandbox, code, confidential)).status).toBe(200);
  const { deviceId } = await bindDevice(sandbox, access_token);
  await createChallenge(sandbox, access_token, deviceId);
  await createDevice(sandbox, access_token); // never verified
  expect((await callApi(sandbox, "POST", "/api/user/mfa/challenges", access_token)).status).toBe(201);
  await startMfaLogin(sandbox); // never approved
}

const rounds = 2;

describe("pruning expired state (issue 11: memory settles back)", () => {
  it("grows with logins, devices and challenges; prune() keeps what lives and drops what expired", async () => {
    const sandbox = await startSandbox(shortLived);
    try {
      for (let i = 0; i < rounds; i++) await buildState(sandbox);
      const grown = sandbox.stateSize();
      expect(grown).toMatchObject({
        refreshTokens: 2 * rounds,
        authorizationCodes: rounds,
        loginSessions: rounds,
        pendingLogins: rounds,
        devices: 2 * rounds,
        deviceVerifications: 2 * rounds,
        deviceChallenges: rounds,
        mfaChallenges: 2 * rounds,
        deviceBindingRequests: 2 * rounds,
        deviceRegistrations: 1,
        sms: 2 * rounds,
        emails: 2 * rounds,
        transactions: 0,
      });
      expect(grown.rateLimitWindows).toBeGreaterThan(0);
      expect(grown.total).toBe(
        Object.entries(grown).reduce((sum, [area, count]) => (area === "total" ? sum : sum + count), 0),
      );

      // Nothing has expired yet: pruning drops nothing.
      sandbox.prune();
      expect(sandbox.stateSize()).toEqual(grown);

      await sleep(expiry);
      sandbox.prune();
      // What remains is what never expires: the bound devices.
      expect(sandbox.stateSize()).toEqual({
        refreshTokens: 0,
        authorizationCodes: 0,
        loginSessions: 0,
        pendingLogins: 0,
        devices: rounds,
        deviceVerifications: 0,
        deviceChallenges: 0,
        mfaChallenges: 0,
        deviceBindingRequests: 0,
        deviceRegistrations: 0,
        rateLimitWindows: 0,
        sms: 0,
        emails: 0,
        transactions: 0,
        total: rounds,
      });
      expect(await sandbox.test.sms()).toEqual([]);
      expect(await sandbox.test.emails()).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });

  it("prunes on its own every pruneInterval, and stops with close()", async () => {
    const sandbox = await startSandbox({ ...shortLived, pruneInterval: 0.2 });
    await buildState(sandbox);
    expect(sandbox.stateSize().total).toBeGreaterThan(1);
    await sleep(expiry + 300);
    expect(sandbox.stateSize().total).toBe(1); // the bound device
    await buildState(sandbox);
    await sandbox.close();
    const atClose = sandbox.stateSize();
    expect(atClose.total).toBeGreaterThan(1);
    await sleep(expiry + 300);
    expect(sandbox.stateSize()).toEqual(atClose);
  });

  it("keeps an expired push challenge that live tokens are confirmed by, and a used code whose tokens live", async () => {
    const sandbox = await startSandbox({ port: 0, mfaChallengeTtl: 0.3, authorizationCodeTtl: 0.3 });
    try {
      // A login confirmed by a push challenge approved through /sandbox/: its tokens' cnf.kid is the challenge.
      const { code, challengeId } = await authorizeWithMfa(sandbox, { scope: "accounts offline" });
      const exchanged = await exchangeCode(sandbox, code, confidential);
      const { refresh_token } = (await exchanged.json()) as { refresh_token: string };
      await sleep(400);
      sandbox.prune();
      const refreshed = await postToken(sandbox, {
        grant_type: "refresh_token",
        refresh_token,
        ...confidential,
      });
      expect(refreshed.status).toBe(200);
      expect(jwtPayload((await refreshed.json()).access_token)).toMatchObject({ cnf: { kid: challengeId } });

      // The code expired, but replaying it still revokes the tokens it gave.
      expect((await exchangeCode(sandbox, code, confidential)).status).toBe(400);
      const revoked = await postToken(sandbox, {
        grant_type: "refresh_token",
        refresh_token,
        ...confidential,
      });
      expect(revoked.status).toBe(400);
    } finally {
      await sandbox.close();
    }
  });

  it("answers a pruned OTP or challenge as unknown (404), where before pruning it was expired (410)", async () => {
    const sandbox = await startSandbox({ port: 0, otpTtl: 0.3 });
    try {
      const { access_token } = await passwordToken(sandbox);
      const first = await createDevice(sandbox, access_token);
      const second = await createDevice(sandbox, access_token);
      await sleep(400);
      const verify = ({ deviceId, challengeId, otp, key }: typeof first) =>
        callApi(sandbox, "POST", `/api/user/devices/${deviceId}/verify`, access_token, {
          challengeId,
          signature: key.sign(otp),
        });
      expect((await verify(first)).status).toBe(410);
      sandbox.prune();
      const pruned = await verify(second);
      expect(pruned.status).toBe(404);
      expect(await pruned.json()).toEqual({ message: "Device not found.", status: 404 });
    } finally {
      await sandbox.close();
    }
  });

  it("defaults to a prune every 60 seconds, and checks the option", async () => {
    expect(sandboxDefaults.pruneInterval).toBe(60);
    await expect(startSandbox({ pruneInterval: 0 })).rejects.toThrow(RangeError);
    await expect(startSandbox({ pruneInterval: -1 })).rejects.toThrow(RangeError);
  });
});
