import { createDeviceResponseSchema, ResponseValidationError } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { answerWith, raw } from "../../test/answerWith";
import { HttpError } from "../errors/HttpError";
import { UnauthorizedError } from "../errors/UnauthorizedError";
import { processApiResponse } from "./processApiResponse";
import { processEmptyResponse } from "./processEmptyResponse";

const request = { method: "POST", path: "/api/user/devices" } as const;

async function process(status: number, body: string, contentType?: string) {
  const response = await answerWith(raw(status, body, contentType), request);
  try {
    return processApiResponse(response, createDeviceResponseSchema);
  } catch (error) {
    return error;
  }
}

describe("processApiResponse", () => {
  it.each([200, 201])("returns a valid body with HTTP %i", async (status) => {
    expect(await process(status, JSON.stringify({ deviceId: "d", challengeId: "c", extra: 1 }))).toEqual({
      deviceId: "d",
      challengeId: "c",
    });
  });

  it.each([400, 403, 404, 422])(
    "turns a { message, status } body with HTTP %i into HttpError",
    async (status) => {
      const error = await process(status, JSON.stringify({ message: "Invalid key", status }));
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ code: "HTTP_ERROR", status, serverMessage: "Invalid key" });
      expect((error as Error).message).toBe(`POST /api/user/devices failed with HTTP ${status}: Invalid key`);
    },
  );

  it("turns 401 into UnauthorizedError", async () => {
    const error = await process(401, JSON.stringify({ message: "Token expired", status: 401 }));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ code: "UNAUTHORIZED", status: 401, serverMessage: "Token expired" });
  });

  it("turns a 500 with an HTML body into HttpError without the body, naming the status text", async () => {
    const error = await process(500, "<!doctype html><h1>Oops</h1>", "text/html");
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 500, serverMessage: undefined });
    expect((error as Error).message).toBe(
      "POST /api/user/devices failed with HTTP 500 Internal Server Error",
    );
  });

  it("reads an error without a body (Kontist documents none for REST calls) by its status text", async () => {
    const error = await process(403, "");
    expect(error).toMatchObject({
      code: "HTTP_ERROR",
      status: 403,
      serverMessage: undefined,
      statusText: "Forbidden",
    });
    expect((error as Error).message).toBe("POST /api/user/devices failed with HTTP 403 Forbidden");
  });

  it("shortens a very long server message", async () => {
    const error = await process(400, JSON.stringify({ message: "x".repeat(5_000), status: 400 }));
    expect((error as HttpError).serverMessage).toHaveLength(500);
  });

  it("throws ResponseValidationError for a malformed JSON body", async () => {
    const error = await process(201, "{deviceId:");
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ field: "", status: 201 });
  });

  it("throws ResponseValidationError naming a missing field", async () => {
    const error = await process(201, JSON.stringify({ deviceId: "d" }));
    expect(error).toMatchObject({ code: "INVALID_RESPONSE", field: "challengeId" });
  });
});

describe("processEmptyResponse", () => {
  it("accepts 204 and ignores any body", async () => {
    expect(processEmptyResponse(await answerWith(raw(204, ""), request))).toBeUndefined();
    expect(processEmptyResponse(await answerWith(raw(200, "not json"), request))).toBeUndefined();
  });

  it("throws the typed error for an error status", async () => {
    const response = await answerWith(
      raw(400, JSON.stringify({ message: "Wrong OTP", status: 400 })),
      request,
    );
    expect(() => processEmptyResponse(response)).toThrow(HttpError);
  });
});
