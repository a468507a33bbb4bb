import * as z from "zod/mini";
import { derSignatureHexSchema, deviceKeyHexSchema, nonEmptyString } from "../fields";

/** Body of `POST /api/user/devices`: a name for the device and its public key. */
export const createDeviceRequestSchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(255)),
  key: deviceKeyHexSchema,
});
export type CreateDeviceRequest = z.infer<typeof createDeviceRequestSchema>;

/** Answer of `POST /api/user/devices`; an SMS with an OTP has gone to the user's phone. */
export const createDeviceResponseSchema = z.object({
  deviceId: nonEmptyString,
  challengeId: nonEmptyString,
});
export type CreateDeviceResponse = z.infer<typeof createDeviceResponseSchema>;

/** Body of `POST /api/user/devices/{deviceId}/verify`: the signature of the OTP. Answer: 204. */
export const verifyDeviceRequestSchema = z.object({
  challengeId: nonEmptyString,
  signature: derSignatureHexSchema,
});
export type VerifyDeviceRequest = z.infer<typeof verifyDeviceRequestSchema>;

/** Answer of `POST /api/user/devices/{deviceId}/challenges`. */
export const deviceChallengeSchema = z.object({
  id: nonEmptyString,
  stringToSign: nonEmptyString,
});
export type DeviceChallenge = z.infer<typeof deviceChallengeSchema>;

/** Body of `POST /api/user/devices/{deviceId}/challenges/{challengeId}/verify`: the signature of `stringToSign`. */
export const verifyDeviceChallengeRequestSchema = z.object({
  signature: derSignatureHexSchema,
});
export type VerifyDeviceChallengeRequest = z.infer<typeof verifyDeviceChallengeRequestSchema>;

/**
 * A confirmed token: the answer of a verified device challenge and of `POST /api/user/mfa/challenges/{id}/token`.
 * `token` is an access token with a `cnf` claim; `refresh_token` is confirmed too, for clients that use them.
 */
export const confirmedTokenResponseSchema = z.object({
  token: nonEmptyString,
  refresh_token: z.optional(nonEmptyString),
});
export type ConfirmedTokenResponse = z.infer<typeof confirmedTokenResponseSchema>;
