import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi, passwordToken, postGraphQL, postToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

const challenges = "/api/user/mfa/challenges";
const windowMs = 1000;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, rateLimit: { requests: 3, windowMs } });
});
afterAll(() => sandbox.close());

async function expectLimited(response: Response, maxSeconds: number) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  const body = await response.json();
  expect(body).toEqual({ message: expect.stringContaining("Too many requests"), status: 429 });
  return body as { message: string };
}

describe("rateLimit (issue 11: Kontist's per-token limit)", () => {
  it("answers 429 with Retry-After over the limit, per access token, /sandbox/* never; a new window lets calls through", async () => {
    sandbox.reset();
    // Two token requests: the client IP's budget (3 per window) for requests without a token.
    const first = (await passwordToken(sandbox)).access_token;
    const second = (await passwordToken(sandbox)).access_token;

    for (let i = 0; i < 3; i++) expect((await callApi(sandbox, "GET", challenges, first)).status).toBe(200);
    const refused = await expectLimited(await callApi(sandbox, "GET", challenges, first), 1);
    expect(refused.message).not.toContain(first);
    await expectLimited(await postGraphQL(sandbox, first, { query: "{ viewer { email } }" }), 1);

    // Another token of the same user has a budget of its own.
    for (let i = 0; i < 3; i++) expect((await callApi(sandbox, "GET", challenges, second)).status).toBe(200);
    await expectLimited(await callApi(sandbox, "GET", challenges, second), 1);

    // Without a valid token the client's IP address is counted: one request left, then the token
    // endpoint too answers 429 as { message, status }.
    expect((await callApi(sandbox, "GET", challenges, "not-a-token")).status).toBe(401);
    const grant = { grant_type: "password", username: "demo@example.com", password: "demo-password" };
    await expectLimited(await postToken(sandbox, { ...grant, client_id: "demo-client" }), 1);

    // The test-support routes are never limited.
    for (let i = 0; i < 10; i++) expect(await sandbox.test.sms()).toEqual([]);

    // Refused requests are counted in /sandbox/stats like any other refusal.
    expect((await sandbox.test.stats()).requests[`GET ${challenges}`]).toBe(9);

    await sleep(windowMs + 50);
    expect((await callApi(sandbox, "GET", challenges, first)).status).toBe(200);
    expect((await callApi(sandbox, "GET", challenges, second)).status).toBe(200);
    expect((await passwordToken(sandbox)).access_token).toEqual(expect.any(String));
  });

  it("counts only requests let through: a client that waits Retry-After gets in", async () => {
    sandbox.reset();
    const token = (await passwordToken(sandbox)).access_token;
    for (let i = 0; i < 3; i++) await callApi(sandbox, "GET", challenges, token);
    for (let i = 0; i < 5; i++) await expectLimited(await callApi(sandbox, "GET", challenges, token), 1);
    await sleep(windowMs + 50);
    for (let i = 0; i < 3; i++) expect((await callApi(sandbox, "GET", challenges, token)).status).toBe(200);
  });

  it("says in Retry-After when the window frees a slot, in whole seconds", async () => {
    const slow = await startSandbox({ port: 0, rateLimit: { requests: 1, windowMs: 60_000 } });
    try {
      const token = (await passwordToken(slow)).access_token;
      expect((await callApi(slow, "GET", challenges, token)).status).toBe(200);
      const response = await callApi(slow, "GET", challenges, token);
      await expectLimited(response, 60);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
    } finally {
      await slow.close();
    }
  });

  it("is off by default, and checks the option", async () => {
    const open = await startSandbox({ port: 0 });
    try {
      const token = (await passwordToken(open)).access_token;
      const answers = await Promise.all(
        Array.from({ length: 150 }, () => callApi(open, "GET", challenges, token)),
      );
      expect(answers.map((response) => response.status)).toEqual(Array(150).fill(200));
    } finally {
      await open.close();
    }
    for (const rateLimit of [
      { requests: 0, windowMs: 1000 },
      { requests: 1.5, windowMs: 1000 },
      { requests: 1, windowMs: 0 },
      { requests: 1, windowMs: Number.NaN },
      true as unknown as false,
    ]) {
      await expect(startSandbox({ rateLimit })).rejects.toThrow(RangeError);
    }
  });
});
