/**
 * Issue 11, item 4: request bodies over 64 KiB are refused with 413 on every endpoint that takes a body,
 * whether announced by Content-Length or streamed chunked, and oversized headers with 431, never a 500 or
 * a hang. Already covered: src/http/robustness.test.ts "answers a body over 64 KiB with 413 JSON, with or
 * without Content-Length" (POST /api/user/devices) and src/oauth/token.test.ts "answers a body over 64
 * KiB with 413 in the OAuth2 shape".
 */
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { bindDevice, createChallenge, passwordToken } from "../../test/requests";

const fresh = useFreshSandbox();
const big = "x".repeat(70_000);

/** A body streamed in chunks, so no Content-Length announces its size. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const parts = [text.slice(0, 30_000), text.slice(30_000, 60_000), text.slice(60_000)];
  return new ReadableStream({
    pull(controller) {
      const part = parts.shift();
      if (part === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(part));
    },
  });
}

it("answers 413 to a body over 64 KiB on every endpoint that reads one, by Content-Length or chunked", async () => {
  const { sandbox, accessToken } = fresh;
  const { deviceId } = await bindDevice(sandbox, accessToken);
  const challenge = await createChallenge(sandbox, accessToken, deviceId);
  const json = { "Content-Type": "application/json", Authorization: `Bearer ${accessToken}` };
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  const jsonBody = JSON.stringify({ name: big, key: big, signature: big, status: big, query: big });
  const endpoints: [method: string, path: string, headers: Record<string, string>, body: string][] = [
    ["POST", "/api/oauth/token", form, `grant_type=password&username=${big}`],
    ["POST", "/api/oauth/authorize", form, `client_id=demo-client&username=${big}`],
    ["POST", "/api/user/devices", json, jsonBody],
    ["POST", `/api/user/devices/${deviceId}/verify`, json, jsonBody],
    ["POST", `/api/user/devices/${deviceId}/challenges/${challenge.id}/verify`, json, jsonBody],
    ["PATCH", `/api/user/mfa/challenges/${randomUUID()}`, json, jsonBody],
    ["POST", "/api/graphql", json, jsonBody],
    ["POST", "/sandbox/faults", json, jsonBody],
    ["POST", "/sandbox/transactions", json, jsonBody],
  ];
  // Each request goes down fetch's keep-alive pool right after the previous 413: that 413 must close its
  // connection (the rest of the body is never read), or this next POST fails with "other side closed".
  for (const [method, path, headers, body] of endpoints) {
    for (const mode of ["Content-Length", "chunked"] as const) {
      const response = await fetch(`${sandbox.url}${path}`, {
        method,
        headers,
        ...(mode === "chunked" ? { body: chunked(body), duplex: "half" } : { body }),
      } as RequestInit);
      expect(response.status, `${method} ${path} (${mode})`).toBe(413);
      expect(response.headers.get("content-type"), `${method} ${path}`).toMatch(/^application\/json/);
      const answer = await response.json();
      if (path === "/api/oauth/token") expect(answer).toMatchObject({ error: "invalid_request" });
      else expect(answer).toEqual({ message: "The body is larger than 65536 bytes.", status: 413 });
    }
  }
  // Endpoints that take no body refuse an announced oversized one too.
  const push = await fetch(`${sandbox.url}/api/user/mfa/challenges`, {
    method: "POST",
    headers: json,
    body: big,
  });
  expect(push.status).toBe(413);
  // Still serving.
  expect((await passwordToken(sandbox)).access_token).toEqual(expect.any(String));
});

it("answers 431 to headers over Node's 16 KiB limit, and a URL that long too", async () => {
  const { sandbox } = fresh;
  const headers = await fetch(`${sandbox.url}/api/user/mfa/challenges`, {
    headers: { Authorization: `Bearer ${"a".repeat(20_000)}` },
  });
  expect(headers.status).toBe(431);
  const url = await fetch(`${sandbox.url}/api/user/mfa/challenges/${"a".repeat(20_000)}`);
  expect(url.status).toBe(431);
  expect((await fetch(`${sandbox.url}/sandbox/sms`)).status).toBe(200);
});
