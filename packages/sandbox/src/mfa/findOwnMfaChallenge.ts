import { ApiError } from "../http/ApiError";
import type { MfaChallengeRecord, SandboxStore } from "../state/SandboxStore";

/**
 * The push MFA challenge `challengeId` of the user `userId`.
 *
 * @throws {ApiError} 404 for an unknown challenge and for another user's, alike.
 */
export function findOwnMfaChallenge(
  store: SandboxStore,
  userId: string,
  challengeId: string,
): MfaChallengeRecord {
  const challenge = store.mfaChallenges.get(challengeId);
  if (challenge === undefined || challenge.userId !== userId) {
    throw new ApiError(404, "MFA challenge not found.");
  }
  return challenge;
}
