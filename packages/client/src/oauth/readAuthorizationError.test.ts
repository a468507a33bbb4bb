import { isKontistAuthError } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { AuthorizationError } from "../errors/AuthorizationError";
import { readAuthorizationError } from "./readAuthorizationError";

const source = "the authorization callback";

describe("readAuthorizationError", () => {
  it("reads Kontist's JSON denial: type AccessDeniedError, error access_denied", () => {
    // What `?error=%7B%22type%22%3A%22AccessDeniedError%22%7D` is once URL-decoded.
    const error = readAuthorizationError('{"type":"AccessDeniedError"}', {}, source);
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(isKontistAuthError(error, "AUTHORIZATION_ERROR")).toBe(true);
    expect(error).toMatchObject({
      code: "AUTHORIZATION_ERROR",
      error: "access_denied",
      type: "AccessDeniedError",
      error_description: undefined,
      status: undefined,
    });
    expect(error.message).toBe(
      "the authorization callback carries the error access_denied (AccessDeniedError)",
    );
  });

  it("reads the same from an object (a web message's error), with spaces around the JSON text", () => {
    expect(readAuthorizationError({ type: "AccessDeniedError" }, {}, source)).toMatchObject({
      error: "access_denied",
      type: "AccessDeniedError",
    });
    expect(readAuthorizationError(' {"type": "AccessDeniedError", "x": 1}', {}, source)).toMatchObject({
      error: "access_denied",
      type: "AccessDeniedError",
    });
  });

  it("keeps an unknown Kontist type as the error itself", () => {
    expect(readAuthorizationError('{"type":"LoginRequiredError"}', {}, source)).toMatchObject({
      error: "LoginRequiredError",
      type: "LoginRequiredError",
    });
    // Names of Object.prototype are types like any other.
    expect(readAuthorizationError('{"type":"constructor"}', {}, source)).toMatchObject({
      error: "constructor",
      type: "constructor",
    });
  });

  it("keeps an RFC 6749 code, with its description and URI, and no type", () => {
    const error = readAuthorizationError(
      "access_denied",
      { error_description: "The user said no", error_uri: "https://example.com/e" },
      source,
    );
    expect(error).toMatchObject({
      error: "access_denied",
      type: undefined,
      error_description: "The user said no",
      error_uri: "https://example.com/e",
    });
    expect(error.message).toBe(
      "the authorization callback carries the error access_denied: The user said no",
    );
  });

  it.each([
    ["JSON without a type", '{"message":"no"}'],
    ["JSON with a type that is not a string", '{"type":42}'],
    ["JSON with an empty type", '{"type":""}'],
    ["JSON-looking text that does not parse", '{"type":"AccessDeniedError"'],
    ["a JSON array", '["AccessDeniedError"]'],
  ])("takes %s as the code itself", (_, raw) => {
    expect(readAuthorizationError(raw, {}, source)).toMatchObject({ error: raw, type: undefined });
  });

  it("takes an object without a type as its JSON text, and a cyclic one as unknown_error", () => {
    expect(readAuthorizationError({ reason: "no" }, {}, source)).toMatchObject({
      error: '{"reason":"no"}',
      type: undefined,
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(readAuthorizationError(cyclic, {}, source)).toMatchObject({ error: "unknown_error" });
  });

  it("repeats at most 100 characters of each untrusted text in its message, without control characters", () => {
    const long = "x".repeat(5_000);
    const error = readAuthorizationError(
      `{"type":"${long}"}`,
      { error_description: `line one\nFORGED LOG LINE ${long}` },
      source,
    );
    expect(error.type).toBe(long); // the fields keep what came
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).not.toContain("\n");
    expect(error.message).toContain("line one FORGED LOG LINE");
    expect(error.message).toContain("…");
  });
});
