import { parseArgs } from "node:util";
import { kontistRateLimit, sandboxDefaults } from "../options/resolveSandboxOptions";
import type { SandboxOptions, SandboxRateLimit } from "../options/SandboxOptions";

/** The port the CLI listens on without `--port` or `PORT` (in process, `startSandbox` picks a free one). */
export const cliDefaultPort = 4010;

/** The `--help` text of `kontist-sandbox`. */
export const usage = `Usage: kontist-sandbox [options]

A local Kontist auth server (OAuth2, device binding, push MFA, GraphQL) for development and tests.

Options:
  --host H                    interface to listen on (default ${sandboxDefaults.host})
  --port N                    port to listen on; 0 picks a free one (default: $PORT, else ${cliDefaultPort})
  --access-token-ttl S        access token lifetime in seconds (default ${sandboxDefaults.accessTokenTtl})
  --refresh-token-ttl S       refresh token lifetime in seconds (default ${sandboxDefaults.refreshTokenTtl})
  --otp-ttl S                 SMS one-time password lifetime in seconds (default ${sandboxDefaults.otpTtl})
  --challenge-ttl S           device challenge lifetime in seconds (default ${sandboxDefaults.challengeTtl})
  --otp-attempts N            wrong signatures an OTP or challenge tolerates (default ${sandboxDefaults.otpAttempts})
  --mfa-challenge-ttl S       push MFA challenge lifetime in seconds (default: the challenge ttl)
  --authorization-code-ttl S  authorization code lifetime in seconds (default ${sandboxDefaults.authorizationCodeTtl})
  --session-ttl S             login session (cookie) lifetime in seconds (default ${sandboxDefaults.sessionTtl})
  --rotate-refresh-tokens     new refresh token on every refresh; a reused one is refused
  --omit-refresh-token-on-refresh
                              answer a refresh without refresh_token (the old one stays valid)
  --no-device-binding-request the older API: create devices without a confirmed device binding request
  --device-binding-window S   seconds after confirming a binding request to create and verify the device
                              (default ${sandboxDefaults.deviceBindingWindow})
  --device-registration-limit N
                              devices (each texting an OTP) a user may register per window; more are
                              answered 429 (default ${sandboxDefaults.deviceRegistrationLimit})
  --device-registration-window S
                              that window in seconds (default ${sandboxDefaults.deviceRegistrationWindow})
  --rate-limit[=N/S]          at most N requests per S seconds per access token (per IP without one) to
                              /api/*, more answered 429 with Retry-After; bare: Kontist's ${kontistRateLimit.requests}/${kontistRateLimit.windowMs / 1000}
                              (default: no limit)
  --request-timeout S         seconds to send a whole request; slower ones get 408 (default ${sandboxDefaults.requestTimeout})
  --prune-interval S          seconds between prunings of expired state (default ${sandboxDefaults.pruneInterval})
  -h, --help                  show this help

Seeds: confidential client demo-client, public client demo-public, users demo@example.com and
other@example.com (the package README lists their secrets). Test support (loopback Host only):
GET /sandbox/sms, GET /sandbox/emails, GET /sandbox/device-binding-requests/{id},
POST /sandbox/device-binding-requests/{id}/confirm|reject, GET /sandbox/stats, POST /sandbox/reset,
GET /sandbox/mfa/challenges, POST /sandbox/mfa/challenges/{id}/approve|deny,
GET|POST|DELETE /sandbox/faults, GET /sandbox/jwks.json.`;

/** A command line the CLI cannot run; the message says which flag is wrong. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliUsageError";
  }
}

function number(flag: string, value: string | undefined, kind: "port" | "seconds" | "count") {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  const valid =
    value.trim() !== "" &&
    Number.isFinite(parsed) &&
    (kind === "seconds"
      ? parsed > 0
      : Number.isInteger(parsed) && (kind === "port" ? parsed >= 0 && parsed <= 65535 : parsed > 0));
  if (!valid) {
    const expected = {
      port: "a port from 0 to 65535",
      seconds: "a positive number of seconds",
      count: "a positive integer",
    };
    throw new CliUsageError(`${flag} must be ${expected[kind]}.`);
  }
  return parsed;
}

/** `--rate-limit`'s value `N/S` (N requests per S seconds). */
function rateLimit(value: string): SandboxRateLimit {
  const [requests, seconds, ...rest] = value.split("/");
  const count = Number(requests);
  const window = Number(seconds);
  if (
    rest.length > 0 ||
    requests?.trim() === "" ||
    seconds?.trim() === "" ||
    !Number.isInteger(count) ||
    count < 1 ||
    !Number.isFinite(window) ||
    window <= 0
  ) {
    throw new CliUsageError(
      "--rate-limit must be N/S: a positive integer of requests per a positive number of seconds.",
    );
  }
  return { requests: count, windowMs: window * 1000 };
}

/** A bare `--rate-limit` means Kontist's limit; `--rate-limit N/S` becomes `--rate-limit=N/S`. */
function withRateLimitValue(args: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    if (arg !== "--rate-limit") {
      result.push(arg);
      continue;
    }
    const next = args[index + 1];
    if (next !== undefined && !next.startsWith("-")) {
      result.push(`--rate-limit=${next}`);
      index++;
    } else {
      result.push(`--rate-limit=${kontistRateLimit.requests}/${kontistRateLimit.windowMs / 1000}`);
    }
  }
  return result;
}

/**
 * Reads the `kontist-sandbox` command line (a leading `--`, as some script runners pass, is skipped) and
 * the `PORT` environment variable (`--port` wins). `--rate-limit` alone is Kontist's 100 requests per 60
 * seconds; `--rate-limit=N/S` or `--rate-limit N/S` sets another.
 *
 * @returns `{ help: true }` for `--help`, else the options for `startSandbox`.
 * @throws {CliUsageError} for an unknown flag, a stray argument or a value that is not valid.
 */
export function parseCliArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): { help: true } | { help: false; options: SandboxOptions } {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(withRateLimitValue(argv[0] === "--" ? argv.slice(1) : argv)).values;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : "Invalid arguments.");
  }
  if (values.help === true) return { help: true };
  const port =
    number("--port", values.port ?? (env.PORT === "" ? undefined : env.PORT), "port") ?? cliDefaultPort;
  const options: SandboxOptions = {
    ...(values.host === undefined ? {} : { host: values.host }),
    port,
    ...(values["rotate-refresh-tokens"] === true ? { rotateRefreshTokens: true } : {}),
    ...(values["no-device-binding-request"] === true ? { requireDeviceBindingRequest: false } : {}),
    ...(values["omit-refresh-token-on-refresh"] === true ? { omitRefreshTokenOnRefresh: true } : {}),
  };
  const seconds = {
    "access-token-ttl": "accessTokenTtl",
    "refresh-token-ttl": "refreshTokenTtl",
    "otp-ttl": "otpTtl",
    "challenge-ttl": "challengeTtl",
    "mfa-challenge-ttl": "mfaChallengeTtl",
    "authorization-code-ttl": "authorizationCodeTtl",
    "session-ttl": "sessionTtl",
    "device-binding-window": "deviceBindingWindow",
    "device-registration-window": "deviceRegistrationWindow",
    "request-timeout": "requestTimeout",
    "prune-interval": "pruneInterval",
  } as const;
  for (const [flag, option] of Object.entries(seconds) as [
    keyof typeof seconds,
    (typeof seconds)[keyof typeof seconds],
  ][]) {
    const value = number(`--${flag}`, values[flag], "seconds");
    if (value !== undefined) options[option] = value;
  }
  const attempts = number("--otp-attempts", values["otp-attempts"], "count");
  if (attempts !== undefined) options.otpAttempts = attempts;
  const registrations = number("--device-registration-limit", values["device-registration-limit"], "count");
  if (registrations !== undefined) options.deviceRegistrationLimit = registrations;
  if (values["rate-limit"] !== undefined) options.rateLimit = rateLimit(values["rate-limit"]);
  return { help: false, options };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "access-token-ttl": { type: "string" },
      "refresh-token-ttl": { type: "string" },
      "otp-ttl": { type: "string" },
      "challenge-ttl": { type: "string" },
      "otp-attempts": { type: "string" },
      "mfa-challenge-ttl": { type: "string" },
      "authorization-code-ttl": { type: "string" },
      "session-ttl": { type: "string" },
      "rotate-refresh-tokens": { type: "boolean" },
      "no-device-binding-request": { type: "boolean" },
      "device-binding-window": { type: "string" },
      "device-registration-limit": { type: "string" },
      "device-registration-window": { type: "string" },
      "omit-refresh-token-on-refresh": { type: "boolean" },
      "rate-limit": { type: "string" },
      "request-timeout": { type: "string" },
      "prune-interval": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
