import { describe, expect, it } from "vitest";
import { CliUsageError, parseCliArgs } from "./parseCliArgs";

describe("parseCliArgs", () => {
  it("defaults to port 4010 and nothing else", () => {
    expect(parseCliArgs([])).toEqual({ help: false, options: { port: 4010 } });
  });

  it("reads every flag", () => {
    const argv = [
      "--host",
      "0.0.0.0",
      "--port",
      "0",
      "--access-token-ttl",
      "60",
      "--refresh-token-ttl",
      "120",
      "--otp-ttl",
      "1.5",
      "--challenge-ttl",
      "2",
      "--otp-attempts",
      "5",
      "--mfa-challenge-ttl",
      "3",
      "--authorization-code-ttl",
      "0.5",
      "--session-ttl",
      "600",
      "--rotate-refresh-tokens",
    ];
    expect(parseCliArgs(argv)).toEqual({
      help: false,
      options: {
        host: "0.0.0.0",
        port: 0,
        accessTokenTtl: 60,
        refreshTokenTtl: 120,
        otpTtl: 1.5,
        challengeTtl: 2,
        otpAttempts: 5,
        mfaChallengeTtl: 3,
        authorizationCodeTtl: 0.5,
        sessionTtl: 600,
        rotateRefreshTokens: true,
      },
    });
  });

  it("reads --omit-refresh-token-on-refresh", () => {
    expect(parseCliArgs(["--omit-refresh-token-on-refresh"])).toEqual({
      help: false,
      options: { port: 4010, omitRefreshTokenOnRefresh: true },
    });
  });

  it("reads --no-device-binding-request and --device-binding-window", () => {
    expect(parseCliArgs(["--no-device-binding-request", "--device-binding-window", "0.5"])).toEqual({
      help: false,
      options: { port: 4010, requireDeviceBindingRequest: false, deviceBindingWindow: 0.5 },
    });
    expect(() => parseCliArgs(["--device-binding-window", "0"])).toThrow(
      "--device-binding-window must be a positive number of seconds.",
    );
    expect(() => parseCliArgs(["--device-binding-request"])).toThrow(CliUsageError);
  });

  it("finding 17: reads --device-registration-limit and --device-registration-window", () => {
    expect(parseCliArgs(["--device-registration-limit", "3", "--device-registration-window", "60"])).toEqual({
      help: false,
      options: { port: 4010, deviceRegistrationLimit: 3, deviceRegistrationWindow: 60 },
    });
    for (const argv of [
      ["--device-registration-limit", "0"],
      ["--device-registration-limit", "2.5"],
      ["--device-registration-window", "0"],
    ]) {
      expect(() => parseCliArgs(argv), argv.join(" ")).toThrow(CliUsageError);
    }
  });

  it("issue 11: reads --rate-limit (bare: Kontist's 100 per 60 s), --request-timeout and --prune-interval", () => {
    const options = (argv: string[]) => {
      const parsed = parseCliArgs(argv);
      return parsed.help ? undefined : parsed.options;
    };
    expect(options(["--rate-limit"])).toEqual({ port: 4010, rateLimit: { requests: 100, windowMs: 60_000 } });
    expect(options(["--rate-limit", "--port", "1"])).toEqual({
      port: 1,
      rateLimit: { requests: 100, windowMs: 60_000 },
    });
    expect(options(["--rate-limit=5/0.5"])).toEqual({
      port: 4010,
      rateLimit: { requests: 5, windowMs: 500 },
    });
    expect(options(["--rate-limit", "20/10"])).toEqual({
      port: 4010,
      rateLimit: { requests: 20, windowMs: 10_000 },
    });
    expect(options(["--request-timeout", "2.5", "--prune-interval", "5"])).toEqual({
      port: 4010,
      requestTimeout: 2.5,
      pruneInterval: 5,
    });
    for (const argv of [
      ["--rate-limit=0/60"],
      ["--rate-limit=1.5/60"],
      ["--rate-limit=10/0"],
      ["--rate-limit=10"],
      ["--rate-limit=10/60/1"],
      ["--rate-limit=/60"],
      ["--rate-limit", "many"],
      ["--request-timeout", "0"],
      ["--prune-interval", "never"],
    ]) {
      expect(() => parseCliArgs(argv), argv.join(" ")).toThrow(CliUsageError);
    }
  });

  it("honours PORT, with --port winning, and skips a leading --", () => {
    expect(parseCliArgs([], { PORT: "5000" })).toEqual({ help: false, options: { port: 5000 } });
    expect(parseCliArgs(["--port=4011"], { PORT: "5000" })).toEqual({ help: false, options: { port: 4011 } });
    expect(parseCliArgs(["--", "--port", "4012"])).toEqual({ help: false, options: { port: 4012 } });
  });

  it("recognises --help and -h", () => {
    expect(parseCliArgs(["--help"])).toEqual({ help: true });
    expect(parseCliArgs(["-h", "--port", "1"])).toEqual({ help: true });
  });

  it("refuses unknown flags, stray arguments and bad values", () => {
    for (const argv of [
      ["--nope"],
      ["serve"],
      ["--port", "70000"],
      ["--port", "4.5"],
      ["--port", ""],
      ["--otp-ttl", "0"],
      ["--otp-ttl", "soon"],
      ["--otp-attempts", "1.5"],
      ["--authorization-code-ttl", "-1"],
      ["--mfa-challenge-ttl", "0"],
      ["--session-ttl", "forever"],
      ["--port"],
    ]) {
      expect(() => parseCliArgs(argv), argv.join(" ")).toThrow(CliUsageError);
    }
    expect(() => parseCliArgs([], { PORT: "abc" })).toThrow("--port must be a port from 0 to 65535.");
  });
});
