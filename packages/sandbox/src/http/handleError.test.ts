import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { OAuth2Error } from "../oauth/OAuth2Error";
import { ApiError } from "./ApiError";
import { handleError } from "./handleError";

function appThrowing(error: Error, path = "/api/thing") {
  const lines: string[] = [];
  const app = new Hono();
  app.onError(handleError((line) => lines.push(line)));
  app.all(path, () => {
    throw error;
  });
  return { request: () => app.request(path, { method: "POST" }), lines };
}

describe("handleError", () => {
  it("answers an unexpected error 500 JSON without its message, and logs no message either", async () => {
    const { request, lines } = appThrowing(new Error("token=eyJsecret"));
    const response = await request();
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: "Internal server error.", status: 500 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Unexpected Error in POST \/api\/thing/);
    expect(lines.join("\n")).not.toContain("eyJsecret");
  });

  it("answers an ApiError with its status, message and headers", async () => {
    const response = await appThrowing(new ApiError(409, "Used.", { "X-Test": "1" })).request();
    expect(response.status).toBe(409);
    expect(response.headers.get("x-test")).toBe("1");
    expect(await response.json()).toEqual({ message: "Used.", status: 409 });
  });

  it("answers an OAuth2Error in the OAuth2 shape, never cached", async () => {
    const response = await appThrowing(new OAuth2Error("invalid_grant", "No."), "/api/oauth/token").request();
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error: "invalid_grant", error_description: "No." });
  });

  it("answers other errors on the token endpoint in the OAuth2 shape", async () => {
    const response = await appThrowing(new Error("boom"), "/api/oauth/token").request();
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: "invalid_request",
      error_description: "Internal server error.",
    });
  });
});
