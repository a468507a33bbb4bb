import { describe, expect, it } from "vitest";
import { listBoundDevicesDataSchema } from "./devices/deviceBinding";
import { isKontistAuthError } from "./errors/KontistAuthError";
import { ResponseValidationError } from "./errors/ResponseValidationError";
import { tokenResponseSchema } from "./oauth/token";
import { parseResponse } from "./parse";

const secret = "eyJhbGciOiJFUzI1NiJ9.secret-access-token";

describe("parseResponse", () => {
  it("returns the typed body and tolerates unknown fields", () => {
    const body = { access_token: secret, token_type: "Bearer", expires_in: 3599, scope: "users", extra: 1 };
    expect(parseResponse(tokenResponseSchema, body, "token response")).toEqual({
      access_token: secret,
      token_type: "Bearer",
      expires_in: 3599,
      scope: "users",
    });
  });

  it("names a missing field", () => {
    const error = catchError(() =>
      parseResponse(tokenResponseSchema, { token_type: "Bearer" }, "token response"),
    );
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.field).toBe("access_token");
    expect(error.message).toBe("Invalid token response: field `access_token` is missing.");
    expect(isKontistAuthError(error, "INVALID_RESPONSE")).toBe(true);
  });

  it("names a mistyped field without echoing its value", () => {
    const error = catchError(() =>
      parseResponse(
        tokenResponseSchema,
        { access_token: secret, token_type: "Bearer", expires_in: secret },
        "x",
      ),
    );
    expect(error.field).toBe("expires_in");
    expect(error.message).toContain("field `expires_in` expected number");
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
  });

  it("names nested fields by their path", () => {
    const error = catchError(() =>
      parseResponse(listBoundDevicesDataSchema, { listBoundDevices: [{ id: "a", name: 7 }] }, "devices"),
    );
    expect(error.field).toBe("listBoundDevices.0.name");
  });

  it("rejects a body that is not an object", () => {
    const error = catchError(() => parseResponse(tokenResponseSchema, "<html>", "token response"));
    expect(error.field).toBe("");
    expect(error.message).toBe("Invalid token response: the body expected object.");
  });
});

function catchError(run: () => unknown): ResponseValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ResponseValidationError) return error;
    throw error;
  }
  throw new Error("expected a ResponseValidationError");
}
