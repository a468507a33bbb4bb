import { randomUUID } from "node:crypto";
import { defaultSeeds } from "../seeds/defaultSeeds";
import { isValidIban, sandboxIban } from "../seeds/sandboxIban";
import type { SandboxConfig, SandboxOptions, SandboxRateLimit } from "./SandboxOptions";

/**
 * The defaults of {@link SandboxOptions}, in seconds where a lifetime. `mfaChallengeTtl` is not listed:
 * it defaults to whatever `challengeTtl` is.
 *
 * @example
 * await startSandbox({ otpTtl: sandboxDefaults.otpTtl / 100 }); // 3-second OTPs for a test
 */
export const sandboxDefaults = {
  host: "127.0.0.1",
  port: 0,
  accessTokenTtl: 3600,
  refreshTokenTtl: 30 * 24 * 3600,
  otpTtl: 300,
  challengeTtl: 300,
  otpAttempts: 3,
  authorizationCodeTtl: 60,
  sessionTtl: 24 * 3600,
  rotateRefreshTokens: false,
  requireDeviceBindingRequest: true,
  deviceBindingWindow: 180,
  deviceRegistrationLimit: 10,
  deviceRegistrationWindow: 3600,
  omitRefreshTokenOnRefresh: false,
  rateLimit: false,
  requestTimeout: 10,
  pruneInterval: 60,
} as const;

/** The `log` of a sandbox started without one: it drops every line. */
export const silentLog = (_line: string): void => {};

/** Kontist's stated limit, "under 100 requests a minute": what the CLI's bare `--rate-limit` enables. */
export const kontistRateLimit: SandboxRateLimit = { requests: 100, windowMs: 60_000 };

function rateLimit(value: SandboxOptions["rateLimit"]): SandboxRateLimit | false {
  if (value === undefined || value === false) return false;
  const { requests, windowMs } = (value ?? {}) as Partial<SandboxRateLimit>;
  if (typeof requests !== "number" || !Number.isInteger(requests) || requests < 1) {
    throw new RangeError("startSandbox: rateLimit.requests must be a positive integer.");
  }
  if (typeof windowMs !== "number" || !Number.isFinite(windowMs) || windowMs <= 0) {
    throw new RangeError("startSandbox: rateLimit.windowMs must be a positive number of milliseconds.");
  }
  return { requests, windowMs };
}

function positiveCount(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`startSandbox: ${name} must be a positive integer.`);
  }
  return value;
}

function positiveSeconds(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`startSandbox: ${name} must be a positive number of seconds.`);
  }
  return value;
}

/** A registered redirect URI must be an absolute URI without a fragment (RFC 6749 §3.1.2). */
function ensureRedirectUris(clientId: string, redirectUris: readonly string[] = []): void {
  for (const uri of redirectUris) {
    let valid = !uri.includes("#");
    try {
      new URL(uri.replace(/:\*(?=\/|$)/, ":1"));
    } catch {
      valid = false;
    }
    if (!valid) {
      throw new RangeError(`startSandbox: a redirect URI of client ${clientId} is not an absolute URI.`);
    }
  }
}

function ensureUnique(kind: string, ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new RangeError(`startSandbox: two ${kind} share the id or email ${id}.`);
    seen.add(id);
  }
}

/**
 * Fills in the defaults of `options` and checks them.
 *
 * @throws {RangeError} for a port outside 0–65535, a lifetime or window that is not a positive number, an
 *   `otpAttempts`, `deviceRegistrationLimit` or `rateLimit.requests` that is not a positive integer, a
 *   `rateLimit.windowMs`, `requestTimeout` or `pruneInterval` that is not positive, `omitRefreshTokenOnRefresh`
 *   together with `rotateRefreshTokens`, seeds with duplicate ids, a redirect URI that is not absolute, an
 *   invalid IBAN or a balance that is not an integer.
 */
export function resolveSandboxOptions(options: SandboxOptions = {}): SandboxConfig {
  const port = options.port ?? sandboxDefaults.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError("startSandbox: port must be an integer from 0 to 65535.");
  }
  const otpAttempts = positiveCount("otpAttempts", options.otpAttempts, sandboxDefaults.otpAttempts);
  const deviceRegistrationLimit = positiveCount(
    "deviceRegistrationLimit",
    options.deviceRegistrationLimit,
    sandboxDefaults.deviceRegistrationLimit,
  );
  const rotateRefreshTokens = options.rotateRefreshTokens ?? sandboxDefaults.rotateRefreshTokens;
  const omitRefreshTokenOnRefresh =
    options.omitRefreshTokenOnRefresh ?? sandboxDefaults.omitRefreshTokenOnRefresh;
  if (rotateRefreshTokens && omitRefreshTokenOnRefresh) {
    throw new RangeError(
      "startSandbox: omitRefreshTokenOnRefresh cannot be combined with rotateRefreshTokens (a rotated refresh token must be answered).",
    );
  }
  const challengeTtl = positiveSeconds("challengeTtl", options.challengeTtl, sandboxDefaults.challengeTtl);
  const clients = options.clients ?? defaultSeeds.clients;
  const users = (options.users ?? defaultSeeds.users).map((user) => {
    const id = user.id ?? randomUUID();
    const iban = user.iban ?? sandboxIban(id);
    if (!isValidIban(iban))
      throw new RangeError(`startSandbox: the IBAN of user ${user.email} is not valid.`);
    const balance = user.balance ?? 0;
    if (!Number.isSafeInteger(balance)) {
      throw new RangeError(`startSandbox: the balance of user ${user.email} must be an integer (cents).`);
    }
    return { ...user, id, iban, balance };
  });
  for (const client of clients) ensureRedirectUris(client.id, client.redirectUris);
  ensureUnique(
    "clients",
    clients.map((client) => client.id),
  );
  ensureUnique(
    "users",
    users.map((user) => user.id),
  );
  ensureUnique(
    "users",
    users.map((user) => user.email.toLowerCase()),
  );
  return {
    host: options.host ?? sandboxDefaults.host,
    port,
    accessTokenTtl: positiveSeconds("accessTokenTtl", options.accessTokenTtl, sandboxDefaults.accessTokenTtl),
    refreshTokenTtl: positiveSeconds(
      "refreshTokenTtl",
      options.refreshTokenTtl,
      sandboxDefaults.refreshTokenTtl,
    ),
    otpTtl: positiveSeconds("otpTtl", options.otpTtl, sandboxDefaults.otpTtl),
    challengeTtl,
    otpAttempts,
    mfaChallengeTtl: positiveSeconds("mfaChallengeTtl", options.mfaChallengeTtl, challengeTtl),
    authorizationCodeTtl: positiveSeconds(
      "authorizationCodeTtl",
      options.authorizationCodeTtl,
      sandboxDefaults.authorizationCodeTtl,
    ),
    sessionTtl: positiveSeconds("sessionTtl", options.sessionTtl, sandboxDefaults.sessionTtl),
    rotateRefreshTokens,
    omitRefreshTokenOnRefresh,
    requireDeviceBindingRequest:
      options.requireDeviceBindingRequest ?? sandboxDefaults.requireDeviceBindingRequest,
    deviceBindingWindow: positiveSeconds(
      "deviceBindingWindow",
      options.deviceBindingWindow,
      sandboxDefaults.deviceBindingWindow,
    ),
    deviceRegistrationLimit,
    deviceRegistrationWindow: positiveSeconds(
      "deviceRegistrationWindow",
      options.deviceRegistrationWindow,
      sandboxDefaults.deviceRegistrationWindow,
    ),
    rateLimit: rateLimit(options.rateLimit),
    requestTimeout: positiveSeconds("requestTimeout", options.requestTimeout, sandboxDefaults.requestTimeout),
    pruneInterval: positiveSeconds("pruneInterval", options.pruneInterval, sandboxDefaults.pruneInterval),
    clients,
    users,
    log: options.log ?? silentLog,
  };
}
