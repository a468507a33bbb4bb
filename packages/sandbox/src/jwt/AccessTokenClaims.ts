/**
 * The claims of a sandbox access token (an ES256 JWT, `typ: "at+jwt"`, RFC 9068 §2.2), as Kontist's
 * tokens carry them.
 */
export interface AccessTokenClaims {
  /** The issuer: the sandbox's base URL. */
  iss: string;
  /** The user id (a UUID). */
  sub: string;
  /** The granted scopes, space-separated. */
  scope: string;
  /** The OAuth2 client the token was issued to. */
  client_id: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
  /** A unique id (UUID). */
  jti: string;
  /**
   * The sign-in session (a UUID; the sandbox's own claim, Kontist documents none): started by a password
   * grant or by a login on the authorization page, and kept by every token that sign-in leads to —
   * refreshed, renewed with `prompt=none`, confirmed by a device or push challenge. A push challenge's
   * token goes only to the session that started it.
   */
  sid: string;
  /** Present once MFA passed: the confirming device (RFC 7800 §3.1; `kid` is the device id). */
  cnf?: { kid: string };
}
