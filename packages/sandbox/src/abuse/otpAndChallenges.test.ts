/**
 * Issue 11, item 4: abuse of the sandbox's rules for OTPs and challenges. Rules already covered elsewhere
 * (not moved; listed so this folder is the index of the abuse rules):
 *
 * - OTP attempts and lockout: src/devices/verifyDevice.test.ts "kills the OTP after otpAttempts wrong
 *   signatures: then even the right one gets 410"; src/devices/verifyDeviceChallenge.test.ts "kills the
 *   challenge after otpAttempts wrong signatures (410)"; src/devices/createDevice.test.ts "finding 17:
 *   refuses registrations (and OTPs) beyond deviceRegistrationLimit per window" (no fresh OTPs to guess).
 * - OTP expiry: src/devices/verifyDevice.test.ts "refuses an expired OTP with 410".
 * - Device challenge expiry: src/devices/verifyDeviceChallenge.test.ts "refuses an expired challenge with 410".
 * - Push challenge expiry: src/mfa/mfaChallenges.test.ts "refuses a denied challenge with 403 and an
 *   expired one with 410" (token, sandbox approval) and "refuses an expired challenge with 410" (PATCH);
 *   src/authorize/mfaLogin.test.ts "answers the denial once the challenge has expired unanswered".
 * - Binding request expiry (Kontist's 3 minutes from the confirmation):
 *   src/deviceBinding/spendDeviceBindingConfirmation.test.ts "refuses once the window since the
 *   confirmation has lapsed", "counts the window from the confirmation, not from the request";
 *   src/deviceBinding/ensureWithinDeviceBindingWindow.test.ts "refuses with 403 once the window since the
 *   confirmation has passed; the device stays unbound".
 * - Replay: src/devices/verifyDevice.test.ts "refuses a replayed OTP signature with 409";
 *   src/devices/verifyDeviceChallenge.test.ts "refuses a replayed challenge with 409";
 *   src/mfa/mfaChallenges.test.ts "answers a confirmed token and refresh token once VERIFIED, one time
 *   only"; src/deviceBinding/spendDeviceBindingConfirmation.test.ts "allows one device per confirmed
 *   request"; src/deviceBinding/answerDeviceBindingRequest.test.ts "answers a request already confirmed or
 *   rejected with status 409"; src/oauth/grants/authorizationCodeGrant.test.ts "revokes the rotated
 *   successors too when the code is replayed".
 *
 * Elsewhere in this folder: src/abuse/noExistenceLeak.test.ts (another user's ids), deviceKeys.test.ts
 * (keys that are not P-256 points), oversizedBodies.test.ts (413, 431). Slow bodies:
 * src/server/requestTimeout.test.ts. Rate limit: src/http/rateLimit.test.ts.
 */
import { describe, expect, it } from "vitest";
import { createTestDeviceKey } from "../../test/deviceKey";
import { useFreshSandbox } from "../../test/freshSandbox";
import { bindDevice, callApi, createChallenge, createDevice } from "../../test/requests";

const attempts = 3;
const fresh = useFreshSandbox({ otpAttempts: attempts, deviceRegistrationLimit: 100 });

const statusCounts = (responses: readonly Response[]) => {
  const counts: Record<number, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
};

describe("abuse: OTP and challenge attempts", () => {
  it("gives parallel guesses no more than otpAttempts tries at an OTP: the rest are refused, the OTP dead", async () => {
    const { deviceId, challengeId, otp, key } = await createDevice(fresh.sandbox, fresh.accessToken);
    const verify = (signature: string) =>
      callApi(fresh.sandbox, "POST", `/api/user/devices/${deviceId}/verify`, fresh.accessToken, {
        challengeId,
        signature,
      });
    const guesses = Array.from({ length: 20 }, (_, i) => key.sign(String(100000 + i)));
    const answers = await Promise.all(guesses.map(verify));
    expect(statusCounts(answers)).toEqual({ 400: attempts, 410: 20 - attempts });
    // Locked out: the right OTP no longer helps.
    expect((await verify(key.sign(otp))).status).toBe(410);
  });

  it("gives parallel guesses no more than otpAttempts tries at a device challenge", async () => {
    const { deviceId, key } = await bindDevice(fresh.sandbox, fresh.accessToken);
    const challenge = await createChallenge(fresh.sandbox, fresh.accessToken, deviceId);
    const verify = (signature: string) =>
      callApi(
        fresh.sandbox,
        "POST",
        `/api/user/devices/${deviceId}/challenges/${challenge.id}/verify`,
        fresh.accessToken,
        { signature },
      );
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => verify(key.sign(`guess ${i}`))));
    expect(statusCounts(answers)).toEqual({ 400: attempts, 410: 12 - attempts });
    expect((await verify(key.sign(challenge.stringToSign))).status).toBe(410);
  });

  it("redeems a right signature once when sent many times at once: one 200, the rest 409", async () => {
    const { deviceId, key } = await bindDevice(fresh.sandbox, fresh.accessToken);
    const challenge = await createChallenge(fresh.sandbox, fresh.accessToken, deviceId);
    const signature = key.sign(challenge.stringToSign);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        callApi(
          fresh.sandbox,
          "POST",
          `/api/user/devices/${deviceId}/challenges/${challenge.id}/verify`,
          fresh.accessToken,
          { signature },
        ),
      ),
    );
    expect(statusCounts(answers)).toEqual({ 200: 1, 409: 9 });
  });

  it("binds a signature to its challenge: one replayed on a fresh challenge, or another device's key, fails", async () => {
    const { deviceId, key } = await bindDevice(fresh.sandbox, fresh.accessToken);
    const first = await createChallenge(fresh.sandbox, fresh.accessToken, deviceId);
    const second = await createChallenge(fresh.sandbox, fresh.accessToken, deviceId);
    const verify = (challengeId: string, signature: string) =>
      callApi(
        fresh.sandbox,
        "POST",
        `/api/user/devices/${deviceId}/challenges/${challengeId}/verify`,
        fresh.accessToken,
        { signature },
      );
    expect((await verify(first.id, key.sign(first.stringToSign))).status).toBe(200);
    expect((await verify(second.id, key.sign(first.stringToSign))).status).toBe(400);
    expect((await verify(second.id, createTestDeviceKey().sign(second.stringToSign))).status).toBe(400);
    expect((await verify(second.id, key.sign(second.stringToSign))).status).toBe(200);
  });

  it("binds an OTP signature to its device: another device of the same user cannot use it", async () => {
    const first = await createDevice(fresh.sandbox, fresh.accessToken);
    const second = await createDevice(fresh.sandbox, fresh.accessToken);
    // The second device's key signs the first device's OTP, against the first device's challenge id.
    const crossed = await callApi(
      fresh.sandbox,
      "POST",
      `/api/user/devices/${second.deviceId}/verify`,
      fresh.accessToken,
      { challengeId: first.challengeId, signature: second.key.sign(first.otp) },
    );
    expect(crossed.status).toBe(404);
    const ownKeyWrongOtp = await callApi(
      fresh.sandbox,
      "POST",
      `/api/user/devices/${second.deviceId}/verify`,
      fresh.accessToken,
      { challengeId: second.challengeId, signature: second.key.sign(first.otp) },
    );
    expect(ownKeyWrongOtp.status).toBe(400);
  });
});
