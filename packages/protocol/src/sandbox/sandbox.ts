import * as z from "zod/mini";
import { isoDateTimeSchema, nonEmptyString } from "../fields";
import { mfaChallengeStatusSchema } from "../mfa/mfa";

/** One SMS the sandbox "sent", as `GET /sandbox/sms` lists it (oldest first). */
export const sandboxSmsSchema = z.object({
  to: z.string(),
  text: z.string(),
  otp: z.string(),
  sentAt: isoDateTimeSchema,
});
export type SandboxSms = z.infer<typeof sandboxSmsSchema>;

/** Answer of `GET /sandbox/sms`. */
export const sandboxSmsListSchema = z.array(sandboxSmsSchema);

/**
 * One e-mail the sandbox "sent", as `GET /sandbox/emails` lists it (oldest first). A device binding
 * confirmation carries the request's id and the link the user would click (`link`); the sandbox's
 * `POST /sandbox/device-binding-requests/{id}/confirm` and `/reject` stand in for the click.
 */
export const sandboxEmailSchema = z.object({
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  link: z.optional(z.string()),
  deviceBindingRequestId: z.optional(nonEmptyString),
  sentAt: isoDateTimeSchema,
});
export type SandboxEmail = z.infer<typeof sandboxEmailSchema>;

/** Answer of `GET /sandbox/emails`. */
export const sandboxEmailListSchema = z.array(sandboxEmailSchema);

/** Answer of `GET /sandbox/stats`: requests per `METHOD /path/pattern` and token grants per grant type. */
export const sandboxStatsSchema = z.object({
  requests: z.record(z.string(), z.number()),
  grants: z.record(z.string(), z.number()),
});
export type SandboxStats = z.infer<typeof sandboxStatsSchema>;

/**
 * One push-notification MFA challenge as `GET /sandbox/mfa/challenges` lists it: every challenge of every
 * user, whatever its state, oldest first, so a test can find the one its client created and answer it
 * with `POST /sandbox/mfa/challenges/{id}/approve` or `/deny`.
 */
export const sandboxMfaChallengeSchema = z.object({
  id: nonEmptyString,
  userId: nonEmptyString,
  status: mfaChallengeStatusSchema,
  expiresAt: isoDateTimeSchema,
});
export type SandboxMfaChallenge = z.infer<typeof sandboxMfaChallengeSchema>;

/** Answer of `GET /sandbox/mfa/challenges`. */
export const sandboxMfaChallengeListSchema = z.array(sandboxMfaChallengeSchema);
