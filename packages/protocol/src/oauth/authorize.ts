import * as z from "zod/mini";
import { nonEmptyString } from "../fields";

/**
 * The query of `GET /api/oauth/authorize` (RFC 6749 §4.1.1, PKCE per RFC 7636 §4.3). `prompt=none`
 * answers from an existing login session without a page; `response_mode=web_message` posts the answer to
 * the parent window instead of redirecting; `skip_mfa=true` leaves MFA out of the login.
 */
export const authorizeQuerySchema = z.object({
  response_type: z.literal("code"),
  client_id: nonEmptyString,
  redirect_uri: nonEmptyString,
  scope: z.optional(z.string()),
  state: z.optional(z.string()),
  code_challenge: z.optional(z.string().check(z.regex(/^[A-Za-z0-9\-_]{43}$/))),
  code_challenge_method: z.optional(z.literal("S256")),
  prompt: z.optional(z.enum(["none", "login", "consent"])),
  response_mode: z.optional(z.enum(["query", "web_message"])),
  /**
   * `true` leaves MFA out of the login; it must then be passed later (device challenge or push). Any other
   * value, or none, means the login itself includes MFA (Kontist's default).
   */
  skip_mfa: z.optional(z.string()),
});
export type AuthorizeQuery = z.infer<typeof authorizeQuerySchema>;

/** The names of the authorization request's parameters, as `authorizeQuerySchema` knows them. */
export const authorizeParameterNames = Object.keys(
  authorizeQuerySchema.shape,
) as readonly (keyof AuthorizeQuery)[];

/** The parameters an authorization answer carries (RFC 6749 §4.1.2 and §4.1.2.1). */
export const authorizationResponseSchema = z.object({
  code: z.optional(nonEmptyString),
  state: z.optional(z.string()),
  error: z.optional(nonEmptyString),
  error_description: z.optional(z.string()),
});
export type AuthorizationResponse = z.infer<typeof authorizationResponseSchema>;

/**
 * The `type` of Kontist's JSON `error` parameter when the user denies the authorization request: the
 * redirect carries `error={"type":"AccessDeniedError"}` (URL-encoded) instead of RFC 6749's `access_denied`.
 */
export const accessDeniedErrorType = "AccessDeniedError";

/**
 * The `postMessage` payload of `response_mode=web_message`. Kontist documents `data.response.code` for
 * the answer and `data.error` for a failure; `type` (`"authorization_response"`, as the OAuth 2.0 Web
 * Message Response Mode draft sends it) and `response.state` are optional: a client must not require
 * them. `error` is a string or an object (e.g. `{ "type": "LoginRequiredError" }`).
 */
export const authorizationWebMessageSchema = z.object({
  type: z.optional(z.string()),
  response: z.optional(z.looseObject(authorizationResponseSchema.shape)),
  error: z.optional(z.union([nonEmptyString, z.record(z.string(), z.unknown())])),
  error_description: z.optional(z.string()),
  state: z.optional(z.string()),
});
export type AuthorizationWebMessage = z.infer<typeof authorizationWebMessageSchema>;
