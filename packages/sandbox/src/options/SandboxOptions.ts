import type { SandboxClientSeed, SandboxUserSeed } from "../seeds/defaultSeeds";

/** A user seed with every optional field filled in. */
export type ResolvedUserSeed = SandboxUserSeed & { id: string; iban: string; balance: number };

/**
 * Options of {@link startSandbox}. All are optional; lifetimes are in seconds (fractions allowed, so
 * tests can make them short).
 *
 * @example
 * const options: SandboxOptions = { port: 0, otpTtl: 1, otpAttempts: 1, rotateRefreshTokens: true };
 * const quick: SandboxOptions = { mfaChallengeTtl: 0.5, authorizationCodeTtl: 0.5 };
 * const olderApi: SandboxOptions = { requireDeviceBindingRequest: false }; // devices without binding requests
 * const manyDevices: SandboxOptions = { deviceRegistrationLimit: 100 }; // a test that registers a lot
 * const hardened: SandboxOptions = { rateLimit: { requests: 100, windowMs: 60_000 }, requestTimeout: 5 };
 */
export interface SandboxOptions {
  /** Interface to listen on. Default `"127.0.0.1"`. */
  host?: string;
  /** Port to listen on; `0` picks a free one. Default `0`. */
  port?: number;
  /** Lifetime of access tokens (`expires_in`). Default `3600`. */
  accessTokenTtl?: number;
  /** Lifetime of refresh tokens. Default `2592000` (30 days). */
  refreshTokenTtl?: number;
  /** Lifetime of the SMS one-time password of a device verification. Default `300`. */
  otpTtl?: number;
  /** Lifetime of a device challenge (`stringToSign`). Default `300`. */
  challengeTtl?: number;
  /** Wrong signatures an OTP or a device challenge tolerates; then it is dead. Default `3`. */
  otpAttempts?: number;
  /** Lifetime of a push-notification MFA challenge (`expiresAt`). Default: `challengeTtl`. */
  mfaChallengeTtl?: number;
  /** Lifetime of an authorization code (RFC 6749 §4.1.2 recommends at most 10 minutes). Default `60`. */
  authorizationCodeTtl?: number;
  /** Lifetime of the login session cookie of `GET /api/oauth/authorize`. Default `86400` (1 day). */
  sessionTtl?: number;
  /**
   * Issue a new refresh token on every refresh and refuse a reused one with `invalid_grant` (RFC 9700
   * §4.14.2). Default `false`, as at Kontist: a refresh token can be used many times until it expires.
   */
  rotateRefreshTokens?: boolean;
  /**
   * Answer a refresh without `refresh_token`, as the example in Kontist's docs does; the refresh token
   * sent stays valid, so a client must keep it. Default `false` (the same refresh token is answered). Cannot
   * be combined with `rotateRefreshTokens`, whose new refresh token must be answered.
   */
  omitRefreshTokenOnRefresh?: boolean;
  /**
   * Model Kontist's API since December 2023: `POST /api/user/devices` needs a device binding request
   * (`createDeviceBindingRequest`) that the user confirmed within the last `deviceBindingWindow` seconds
   * and that no device has used yet, and the device must be verified within that window too. Default
   * `true`; `false` gives the older API, where any token creates devices.
   */
  requireDeviceBindingRequest?: boolean;
  /**
   * Seconds from the confirmation of a device binding request within which the device must be created and
   * verified. Default `180` (Kontist's 3 minutes).
   */
  deviceBindingWindow?: number;
  /**
   * How many devices a user may register (`POST /api/user/devices`, each of which texts a new OTP with
   * `otpAttempts` tries) within `deviceRegistrationWindow` seconds; more are refused with 429 and
   * `Retry-After`, so OTPs cannot be guessed by registering again and again. Default `10`.
   */
  deviceRegistrationLimit?: number;
  /** The window of `deviceRegistrationLimit`, in seconds. Default `3600` (an hour). */
  deviceRegistrationWindow?: number;
  /**
   * Kontist's rate limit ("under 100 requests a minute"): at most `requests` requests per `windowMs`
   * milliseconds (a sliding window) to the `/api/*` routes, counted per access token (per client IP
   * address for a request without a valid one); more are answered 429 `{ message, status }` with
   * `Retry-After` (whole seconds until the window frees a slot). `/sandbox/*` is never limited. Default
   * `false` (no limit); the CLI's `--rate-limit` is `{ requests: 100, windowMs: 60000 }`.
   */
  rateLimit?: SandboxRateLimit | false;
  /**
   * Seconds a client has to send a whole request, headers and body; a slower one (a slow-loris body) is
   * answered 408 and its connection closed, checked about every second. Default `10`.
   */
  requestTimeout?: number;
  /**
   * Seconds between two prunings of expired state (refresh tokens, codes, OTPs, challenges, binding
   * requests, login sessions, outbox messages, rate-limit windows), so memory settles back; the timer
   * does not keep the process alive and stops with `close()`. Default `60`.
   */
  pruneInterval?: number;
  /** The OAuth2 clients; replaces the default seeds (`demo-client`, `demo-public`). */
  clients?: readonly SandboxClientSeed[];
  /** The users; replaces the default seeds (`demo@example.com`, `other@example.com`). */
  users?: readonly SandboxUserSeed[];
  /**
   * Receives one line per request (`POST /api/oauth/token 200 3ms`) and per unexpected error. Lines
   * never hold a token, password, OTP, secret or key material. Default: no logging.
   */
  log?: (line: string) => void;
}

/**
 * A rate limit of {@link SandboxOptions.rateLimit}: at most `requests` requests per `windowMs`
 * milliseconds, per access token.
 *
 * @example
 * const kontist: SandboxRateLimit = { requests: 100, windowMs: 60_000 }; // what Kontist states
 */
export interface SandboxRateLimit {
  /** Requests allowed per window; a positive integer. */
  requests: number;
  /** The window, in milliseconds; a positive number. */
  windowMs: number;
}

/** {@link SandboxOptions} with every default filled in and checked. */
export interface SandboxConfig {
  host: string;
  port: number;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  otpTtl: number;
  challengeTtl: number;
  otpAttempts: number;
  mfaChallengeTtl: number;
  authorizationCodeTtl: number;
  sessionTtl: number;
  rotateRefreshTokens: boolean;
  omitRefreshTokenOnRefresh: boolean;
  requireDeviceBindingRequest: boolean;
  deviceBindingWindow: number;
  deviceRegistrationLimit: number;
  deviceRegistrationWindow: number;
  rateLimit: SandboxRateLimit | false;
  requestTimeout: number;
  pruneInterval: number;
  clients: readonly SandboxClientSeed[];
  /** The user seeds, each with its id, IBAN and balance. */
  users: readonly ResolvedUserSeed[];
  log: (line: string) => void;
}
