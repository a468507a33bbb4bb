import * as z from "zod/mini";
import { nonEmptyString } from "../fields";
import { acceptedCodeVerifierPattern } from "./pkce";

/** Client authentication in the body (RFC 6749 §2.3.1); HTTP Basic is the alternative. */
const clientCredentials = {
  client_id: z.optional(nonEmptyString),
  client_secret: z.optional(z.string()),
};

/** `grant_type=password` (RFC 6749 §4.3.2). */
export const passwordTokenRequestSchema = z.object({
  grant_type: z.literal("password"),
  username: nonEmptyString,
  password: nonEmptyString,
  scope: z.optional(z.string()),
  ...clientCredentials,
});

/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3), with `code_verifier` for PKCE (RFC 7636 §4.5).
 * Kontist's docs show a 16-digit verifier, shorter than RFC 7636's 43 characters, so any length up to 128
 * of the unreserved characters is accepted here; clients should still generate RFC-length verifiers.
 */
export const authorizationCodeTokenRequestSchema = z.object({
  grant_type: z.literal("authorization_code"),
  code: nonEmptyString,
  redirect_uri: nonEmptyString,
  code_verifier: z.optional(z.string().check(z.regex(acceptedCodeVerifierPattern))),
  ...clientCredentials,
});

/** `grant_type=refresh_token` (RFC 6749 §6). */
export const refreshTokenRequestSchema = z.object({
  grant_type: z.literal("refresh_token"),
  refresh_token: nonEmptyString,
  scope: z.optional(z.string()),
  ...clientCredentials,
});

/** The grants the token endpoint knows. */
export const grantTypes = ["password", "authorization_code", "refresh_token"] as const;
export type GrantType = (typeof grantTypes)[number];

/** A form body of `POST /api/oauth/token`, told apart by `grant_type`. */
export const tokenRequestSchema = z.discriminatedUnion("grant_type", [
  passwordTokenRequestSchema,
  authorizationCodeTokenRequestSchema,
  refreshTokenRequestSchema,
]);

export type PasswordTokenRequest = z.infer<typeof passwordTokenRequestSchema>;
export type AuthorizationCodeTokenRequest = z.infer<typeof authorizationCodeTokenRequestSchema>;
export type RefreshTokenRequest = z.infer<typeof refreshTokenRequestSchema>;
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

/** A successful token response (RFC 6749 §5.1). `scope` may be left out when it equals the request's. */
export const tokenResponseSchema = z.object({
  access_token: nonEmptyString,
  token_type: nonEmptyString,
  expires_in: z.optional(z.number()),
  refresh_token: z.optional(nonEmptyString),
  scope: z.optional(z.string()),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** The OAuth2 error codes of RFC 6749 §5.2 (the server may send others; `error` is any string). */
export const oauth2ErrorCodes = [
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
] as const;

/** An OAuth2 error body (RFC 6749 §5.2), from the token endpoint or an authorization redirect (§4.1.2.1). */
export const oauth2ErrorSchema = z.object({
  error: nonEmptyString,
  error_description: z.optional(z.string()),
  error_uri: z.optional(z.string()),
});
export type OAuth2ErrorBody = z.infer<typeof oauth2ErrorSchema>;
