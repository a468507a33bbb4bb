import * as z from "zod/mini";
import { isoDateTimeSchema, nonEmptyString } from "../fields";

/** The states of a push-notification MFA challenge. */
export const mfaChallengeStatusSchema = z.enum(["PENDING", "VERIFIED", "DENIED"]);
export type MfaChallengeStatus = z.infer<typeof mfaChallengeStatusSchema>;

/** A push-notification MFA challenge (`POST` / `GET /api/user/mfa/challenges[/{id}]`). */
export const mfaChallengeSchema = z.object({
  id: nonEmptyString,
  status: mfaChallengeStatusSchema,
  expiresAt: isoDateTimeSchema,
});
export type MfaChallenge = z.infer<typeof mfaChallengeSchema>;

/** Answer of `GET /api/user/mfa/challenges`: the user's pending challenges. */
export const mfaChallengesResponseSchema = z.array(mfaChallengeSchema);

/** Body of `PATCH /api/user/mfa/challenges/{id}`: a bound device's answer to another login. */
export const answerMfaChallengeRequestSchema = z.object({
  status: z.enum(["VERIFIED", "DENIED"]),
});
export type AnswerMfaChallengeRequest = z.infer<typeof answerMfaChallengeRequestSchema>;
