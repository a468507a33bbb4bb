import { paths } from "@kontist-auth/protocol";
import { isConfirmationLive } from "../devices/isConfirmationLive";
import { ApiError } from "../http/ApiError";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import { issueConfirmedToken } from "../oauth/issueConfirmedToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { findOwnMfaChallenge } from "./findOwnMfaChallenge";
import { mfaChallengeConfirmation } from "./mfaChallengeConfirmation";

/**
 * `POST /api/user/mfa/challenges/{challengeId}/token` (no body): once the challenge is VERIFIED, and one
 * time only, answers 200 `{ token, refresh_token? }` like a verified device challenge — a confirmed access
 * token for the user, client, scopes and sign-in session (`sid`) of the token that created the challenge,
 * with `cnf: { kid }` (the approving device's id, or the challenge id when approved through `/sandbox/`),
 * and a confirmed refresh token when those scopes include `offline` and the client uses refresh tokens.
 * Only a token of the same client and sign-in session as the one that created the challenge may take it
 * (a renewed access token of that session may); the challenge of a login on the authorization page goes
 * to that login only.
 * 404 for an unknown or foreign challenge; 403 for a token of another client or session, when it was
 * denied, or when the device that approved it is no longer bound; 409 while pending and when the token
 * was already issued; 410 once expired.
 */
export function issueMfaChallengeTokenRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: routePattern(paths.mfaChallengeToken, "challengeId"),
    bearer: true,
    handler: async (c) => {
      const challenge = findOwnMfaChallenge(
        runtime.store,
        c.get("user").id,
        c.req.param("challengeId") ?? "",
      );
      const bearer = c.get("accessToken");
      if (
        challenge.sessionId === undefined ||
        challenge.sessionId !== bearer.sid ||
        challenge.clientId !== bearer.client_id
      ) {
        throw new ApiError(
          403,
          "Only the client and sign-in session that started this MFA challenge may take its token.",
        );
      }
      if (challenge.tokenIssued) {
        throw new ApiError(409, "The token of this MFA challenge has already been issued.");
      }
      if (challenge.status === "DENIED") throw new ApiError(403, "This MFA challenge was denied.");
      if (runtime.now() >= challenge.expiresAt) throw new ApiError(410, "This MFA challenge has expired.");
      if (challenge.status === "PENDING") {
        throw new ApiError(409, "This MFA challenge has not been verified yet.");
      }
      const confirmation = mfaChallengeConfirmation(challenge);
      if (!isConfirmationLive(runtime.store, challenge.userId, confirmation)) {
        throw new ApiError(403, "The device that approved this MFA challenge is no longer bound.");
      }
      challenge.tokenIssued = true;
      const body = await issueConfirmedToken(runtime, {
        userId: challenge.userId,
        clientId: challenge.clientId,
        scopes: challenge.scopes,
        sessionId: challenge.sessionId,
        deviceId: confirmation,
      });
      return c.json(body, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
    },
  };
}
