import { isKontistAuthError, ResponseValidationError } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { answerWith, raw } from "../../test/answerWith";
import { HttpError } from "../errors/HttpError";
import { OAuth2Error } from "../errors/OAuth2Error";
import { UnauthorizedError } from "../errors/UnauthorizedError";
import { processTokenResponse } from "./processTokenResponse";

const tokenBody = {
  access_token: "at",
  token_type: "Bearer",
  expires_in: 3599,
  refresh_token: "rt",
  scope: "users",
};

async function process(status: number, body: string, contentType?: string) {
  const response = await answerWith(raw(status, body, contentType));
  try {
    return processTokenResponse(response);
  } catch (error) {
    return error;
  }
}

describe("processTokenResponse", () => {
  it("returns a valid token response", async () => {
    expect(await process(200, JSON.stringify(tokenBody))).toEqual(tokenBody);
  });

  it.each([400, 401])("turns an OAuth2 error body with HTTP %i into OAuth2Error", async (status) => {
    const error = await process(
      status,
      JSON.stringify({ error: "invalid_grant", error_description: "Bad login" }),
    );
    expect(error).toBeInstanceOf(OAuth2Error);
    expect(error).toMatchObject({
      code: "OAUTH2_ERROR",
      status,
      error: "invalid_grant",
      error_description: "Bad login",
      message: `POST /api/oauth/token failed with HTTP ${status} invalid_grant: Bad login`,
    });
    expect(isKontistAuthError(error, "OAUTH2_ERROR")).toBe(true);
  });

  it("keeps an OAuth2 error without a description", async () => {
    const error = await process(401, JSON.stringify({ error: "invalid_client" }));
    expect(error).toMatchObject({ error: "invalid_client", error_description: undefined, status: 401 });
  });

  it("turns a { message, status } body into HttpError with the server's message", async () => {
    const error = await process(429, JSON.stringify({ message: "Too many requests", status: 429 }));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 429, serverMessage: "Too many requests" });
  });

  it("turns a 401 without an OAuth2 body into UnauthorizedError", async () => {
    const error = await process(401, JSON.stringify({ message: "Unauthorized", status: 401 }));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401, serverMessage: "Unauthorized" });
  });

  it("turns a 500 with an HTML body into HttpError without the body", async () => {
    const error = await process(500, "<html><body>Internal Server Error</body></html>", "text/html");
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 500, serverMessage: undefined });
    expect((error as Error).message).toBe("POST /api/oauth/token failed with HTTP 500 Internal Server Error");
  });

  it("throws ResponseValidationError for a malformed JSON success body, without quoting it", async () => {
    const error = await process(200, '{"access_token":"secret-at-123",');
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", field: "" });
    expect((error as Error).message).not.toContain("secret-at-123");
    expect((error as Error).cause).toBeUndefined();
  });

  it("throws ResponseValidationError naming a missing field", async () => {
    const { access_token: _, ...withoutAccessToken } = tokenBody;
    const error = await process(200, JSON.stringify(withoutAccessToken));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", field: "access_token" });
    expect((error as Error).message).toContain("`access_token` is missing");
  });

  it("throws ResponseValidationError naming a mistyped field", async () => {
    const error = await process(200, JSON.stringify({ ...tokenBody, expires_in: "3599" }));
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", field: "expires_in" });
    expect((error as Error).message).not.toContain('"at"');
  });

  it.each([
    ["zero", 0],
    ["negative", -1],
    ["below a second", 0.5],
    ["beyond ten years", 315_576_001],
    ["1e13 (an Invalid Date)", 1e13],
  ])("finding 7: refuses an expires_in that is %s, naming the field", async (_, expiresIn) => {
    const error = await process(200, JSON.stringify({ ...tokenBody, expires_in: expiresIn }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", field: "expires_in" });
    expect((error as Error).message).toMatch(/1 to 315576000 seconds/);
  });

  it.each([1, 3599, 315_576_000])("finding 7: accepts an expires_in of %i seconds", async (expiresIn) => {
    expect(await process(200, JSON.stringify({ ...tokenBody, expires_in: expiresIn }))).toMatchObject({
      expires_in: expiresIn,
    });
  });
});
