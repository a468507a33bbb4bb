import { parseScope, paths, verifyDeviceChallengeRequestSchema } from "@kontist-auth/protocol";
import { ApiError } from "../http/ApiError";
import { readJsonBody } from "../http/readJsonBody";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import { issueConfirmedToken } from "../oauth/issueConfirmedToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { findOwnDevice } from "./findOwnDevice";
import { redeemSignatureChallenge } from "./redeemSignatureChallenge";

/**
 * `POST /api/user/devices/{deviceId}/challenges/{challengeId}/verify` `{ signature }`: when `signature`
 * is the device key's DER signature of `stringToSign`, answers 200 `{ token, refresh_token? }`: a
 * confirmed access token (the bearer token's user, client, scopes and `sid`, plus `cnf: { kid: deviceId }`)
 * and, when those scopes include `offline` and the client uses refresh tokens, a confirmed refresh token.
 * 404 for an unknown or foreign device or challenge; 400/409/410 as {@link redeemSignatureChallenge}.
 */
export function verifyDeviceChallengeRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: routePattern(paths.verifyDeviceChallenge, "deviceId", "challengeId"),
    bearer: true,
    handler: async (c) => {
      const { signature } = await readJsonBody(c, verifyDeviceChallengeRequestSchema);
      const user = c.get("user");
      const bearer = c.get("accessToken");
      const device = findOwnDevice(runtime.store, user.id, c.req.param("deviceId") ?? "");
      const challenge = runtime.store.deviceChallenges.get(c.req.param("challengeId") ?? "");
      if (challenge === undefined || challenge.deviceId !== device.id || challenge.userId !== user.id) {
        throw new ApiError(404, "Challenge not found.");
      }
      redeemSignatureChallenge(challenge, device, signature, runtime.now());
      const body = await issueConfirmedToken(runtime, {
        userId: user.id,
        clientId: bearer.client_id,
        scopes: parseScope(bearer.scope),
        sessionId: bearer.sid,
        deviceId: device.id,
      });
      return c.json(body, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
    },
  };
}
