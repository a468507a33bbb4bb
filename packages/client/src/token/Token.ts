import { parseScope } from "@kontist-auth/protocol";
import { decodeJwtClaims, type JwtClaims } from "./decodeJwtClaims";

/** What a {@link Token} is made of; everything but `accessToken` is optional. */
export interface TokenInit {
  /** The access token, as sent in `Authorization: Bearer …`. */
  accessToken: string;
  /** The refresh token, when the client has one (issued with the `offline` scope). */
  refreshToken?: string | undefined;
  /** The token type (RFC 6749 §7.1); default `Bearer`. */
  tokenType?: string | undefined;
  /** When the access token expires; default: the JWT `exp` claim, if there is one. */
  expiresAt?: Date | undefined;
  /** The granted scopes; default: the JWT `scope` claim, if there is one. */
  scopes?: readonly string[] | undefined;
  /** When the access token was issued; default: the JWT `iat` claim, if there is one. */
  issuedAt?: Date | undefined;
}

/** The token's shape without its strings: what `util.inspect` shows and `JSON.stringify` writes. */
export interface RedactedToken {
  tokenType: string;
  accessToken: "[redacted]";
  refreshToken?: "[redacted]" | undefined;
  expiresAt?: Date | undefined;
  scopes: readonly string[];
  confirmed: boolean;
}

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * An OAuth2 token the client holds: the access token, maybe a refresh token, when it expires, its
 * scopes, and whether it is *confirmed* (the access token carries a `cnf` claim, which Kontist adds once
 * MFA has been passed with a bound device or a push approval).
 *
 * Claims are decoded from the JWT without verifying it (RFC 7519 §7.2 is the server's job): `confirmed`,
 * `claims` and a JWT-derived `expiresAt` are conveniences for the app, never a security decision. A token
 * that is not a JWT is simply unconfirmed, without claims.
 *
 * `util.inspect` (and so `console.log` in Node) and `JSON.stringify` show the token's shape but no token
 * string (`[redacted]`): a token logged or serialized by accident leaks nothing. To keep a token, take
 * `accessToken` and `refreshToken` themselves (or use a `tokenStore`).
 *
 * @example
 * const token = await client.auth.tokenManager.fetchTokenFromCredentials({ username: "demo@example.com", password: "…" });
 * token.scopes;    // ["users", "offline"]
 * token.confirmed; // false until device or push MFA
 * token.expiresAt; // Date, from expires_in
 */
export class Token {
  /** The access token, as sent in `Authorization: Bearer …`. */
  readonly accessToken: string;
  /** The refresh token, when the client has one. */
  readonly refreshToken: string | undefined;
  /** The token type (RFC 6749 §7.1), `Bearer` at Kontist. */
  readonly tokenType: string;
  /** When the access token expires: from `expires_in` when the server sent it, else the JWT `exp`. */
  readonly expiresAt: Date | undefined;
  /**
   * When the access token was issued: when its token response arrived, else the JWT `iat`; `undefined`
   * when unknown. With `expiresAt` it gives the token's lifetime, which bounds how early it is renewed.
   */
  readonly issuedAt: Date | undefined;
  /** The granted scopes: from the token response's `scope`, else the JWT `scope` claim. */
  readonly scopes: readonly string[];
  /** Whether the access token carries a confirmation (`cnf`) claim; unverified, see the class doc. */
  readonly confirmed: boolean;
  /** The decoded, unverified JWT claims of the access token; `undefined` for an opaque token. */
  readonly claims: JwtClaims | undefined;

  /**
   * @throws {TypeError} when `accessToken` is not a non-empty string.
   */
  constructor(init: TokenInit) {
    if (typeof init.accessToken !== "string" || init.accessToken === "") {
      throw new TypeError("Token: accessToken must be a non-empty string.");
    }
    const claims = decodeJwtClaims(init.accessToken);
    this.accessToken = init.accessToken;
    this.refreshToken = init.refreshToken === "" ? undefined : init.refreshToken;
    this.tokenType = init.tokenType ?? "Bearer";
    this.claims = claims;
    this.expiresAt = validDate(init.expiresAt) ?? dateFromClaim(claims?.exp);
    this.issuedAt = validDate(init.issuedAt) ?? dateFromClaim(claims?.iat);
    this.scopes = Object.freeze([
      ...(init.scopes ?? (typeof claims?.scope === "string" ? parseScope(claims.scope) : [])),
    ]);
    this.confirmed = typeof claims?.cnf === "object" && claims.cnf !== null;
  }

  /**
   * Whether the access token has expired, or will within `leewaySeconds`. A token without a known expiry
   * never counts as expired.
   *
   * @example
   * const token = await client.auth.tokenManager.getValidToken();
   * if (token.isExpired(60)) await client.auth.tokenManager.refresh();
   */
  isExpired(leewaySeconds = 0, now: Date = new Date()): boolean {
    return this.expiresAt !== undefined && this.expiresAt.getTime() - leewaySeconds * 1000 <= now.getTime();
  }

  /**
   * What `JSON.stringify` writes: the token's shape, with every token string redacted (as
   * `util.inspect` shows it).
   *
   * @example
   * JSON.stringify(new Token({ accessToken: "at-1" })); // {"tokenType":"Bearer","accessToken":"[redacted]",…}
   */
  toJSON(): RedactedToken {
    return {
      tokenType: this.tokenType,
      accessToken: "[redacted]",
      refreshToken: this.refreshToken === undefined ? undefined : "[redacted]",
      expiresAt: this.expiresAt,
      scopes: this.scopes,
      confirmed: this.confirmed,
    };
  }

  /** Node's `util.inspect`: the token's shape, with every token string redacted. */
  [inspectSymbol](
    _depth: number,
    options: unknown,
    inspect?: (value: unknown, options?: unknown) => string,
  ): string {
    const summary = this.toJSON();
    return `Token ${inspect ? inspect(summary, options) : JSON.stringify(summary)}`;
  }
}

/** `date` when it is a valid `Date`; an Invalid Date (a time beyond ±8.64e15 ms) counts as none. */
function validDate(date: Date | undefined): Date | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** The date of a JWT NumericDate claim (`exp`, `iat`: seconds), when it is one a `Date` can hold. */
function dateFromClaim(seconds: unknown): Date | undefined {
  return typeof seconds === "number" && Number.isFinite(seconds)
    ? validDate(new Date(seconds * 1000))
    : undefined;
}
