import { createSoftwareSigner } from "@kontist-auth/crypto";
import { paths, sleep } from "@kontist-auth/protocol";
import type { SandboxOptions } from "@kontist-auth/sandbox";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import {
  type ClientSandbox,
  onChallengePoll,
  type SignedInClient,
  startClientSandbox,
} from "../../test/sandbox";
import { defaultPollInterval } from "../async/defaultPollInterval";
import { Client } from "../Client";
import { ChallengeCancelledError } from "../errors/ChallengeCancelledError";
import { ChallengeDeniedError } from "../errors/ChallengeDeniedError";
import { ChallengeExpiredError } from "../errors/ChallengeExpiredError";
import { HttpError } from "../errors/HttpError";
import { NetworkError } from "../errors/NetworkError";

/** The sandbox's route key of a poll, as its stats and faults name it. */
const poll = "GET /api/user/mfa/challenges/{challengeId}";

let sandbox: ClientSandbox;
beforeAll(async () => {
  sandbox = await startClientSandbox();
});
afterAll(() => sandbox?.close());
beforeEach(() => sandbox.reset());

/** Sandboxes with other challenge lifetimes, and the loopback server of a poll that is never answered. */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A client signed in to the sandbox (or one started with `options`), before any MFA. */
async function loggedIn(options?: SandboxOptions) {
  let at = sandbox;
  if (options !== undefined) {
    at = await startClientSandbox(options);
    closers.push(() => at.close());
  }
  const session = await at.signIn({ timeout: 2_000 });
  return { sandbox: at, session, client: session.client };
}

const urls = (session: SignedInClient) => session.sent.map((request) => `${request.method} ${request.url}`);

/** The id of the push challenge created last. */
async function lastChallengeId(at: ClientSandbox): Promise<string> {
  return (await at.test.mfaChallenges()).at(-1)?.id ?? "";
}

describe("PushAuth.getConfirmedToken", () => {
  it("polls until the challenge is approved, then installs the confirmed token", async () => {
    const { sandbox, session, client } = await loggedIn();
    onChallengePoll(session, (poll, id) => poll === 2 && sandbox.test.approveMfaChallenge(id));
    const started = Date.now();
    const token = await client.auth.push.getConfirmedToken({ pollInterval: 50 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    const id = await lastChallengeId(sandbox);
    expect(urls(session)).toEqual([
      "POST /api/user/mfa/challenges",
      `GET /api/user/mfa/challenges/${id}`,
      `GET /api/user/mfa/challenges/${id}`,
      `POST /api/user/mfa/challenges/${id}/token`,
    ]);
    const confirmed = (await session.sent.at(-1)?.response?.json()) as {
      token: string;
      refresh_token: string;
    };
    expect(confirmed.refresh_token).toEqual(expect.any(String));
    expect(token).toMatchObject({
      accessToken: confirmed.token,
      refreshToken: confirmed.refresh_token,
      confirmed: true,
    });
    expect(client.auth.tokenManager.token).toBe(token);
  });

  it("rejects with ChallengeDeniedError when the user denies it", async () => {
    const { sandbox, session, client } = await loggedIn();
    onChallengePoll(session, (poll, id) => poll === 1 && sandbox.test.denyMfaChallenge(id));
    const error = await client.auth.push.getConfirmedToken({ pollInterval: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeDeniedError);
    expect(error).toMatchObject({ code: "CHALLENGE_DENIED", challengeId: await lastChallengeId(sandbox) });
    expect(urls(session).some((url) => url.endsWith("/token"))).toBe(false);
    expect(client.auth.tokenManager.token?.accessToken).toBe(session.accessToken);
  });

  it("rejects with ChallengeExpiredError once expiresAt has passed, polling a last time at expiresAt", async () => {
    const { sandbox, session, client } = await loggedIn({ mfaChallengeTtl: 0.25 });
    const pollTimes: number[] = [];
    onChallengePoll(session, () => pollTimes.push(Date.now()));
    const error = await client.auth.push.getConfirmedToken({ pollInterval: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeExpiredError);
    const [challenge] = await sandbox.test.mfaChallenges();
    expect(error).toMatchObject({ code: "CHALLENGE_EXPIRED", challengeId: challenge?.id });
    const expiresAt = new Date(challenge?.expiresAt ?? 0).getTime();
    expect((error as ChallengeExpiredError).expiresAt.getTime()).toBe(expiresAt);
    // Polls at about 100 and 200 ms, and a last one at expiresAt (not at 300 ms).
    expect(pollTimes.length).toBeGreaterThanOrEqual(2);
    expect(pollTimes.at(-1)).toBeGreaterThanOrEqual(expiresAt - 5);
    expect(pollTimes.at(-1)).toBeLessThan(expiresAt + 90);
  });

  it("rejects with ChallengeExpiredError when the API says the challenge expired", async () => {
    const { sandbox, session, client } = await loggedIn({ mfaChallengeTtl: 0.12 });
    // The poll at expiresAt is answered 410 Gone.
    await sandbox.test.injectFault({ route: poll, fault: "error", status: 410 });
    const error = await client.auth.push.getConfirmedToken({ pollInterval: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeExpiredError);
    expect((error as ChallengeExpiredError).cause).toBeInstanceOf(HttpError);
    expect((error as ChallengeExpiredError).cause).toMatchObject({ status: 410 });
    expect(await session.received(poll)).toBe(1);
  });

  it.each([
    ["500", "error", HttpError],
    ["reset", "reset", NetworkError],
  ] as const)(
    "rejects with the typed error of a failing poll (%s) and stops polling",
    async (_, fault, type) => {
      const { sandbox, session, client } = await loggedIn();
      await sandbox.test.injectFault({ route: poll, fault, times: 100 });
      await expect(client.auth.push.getConfirmedToken({ pollInterval: 20 })).rejects.toBeInstanceOf(type);
      const polls = await session.received(poll);
      await sleep(100);
      expect(await session.received(poll)).toBe(polls);
    },
  );

  it.each([
    ["503", { fault: "error", status: 503 }],
    ["429", { fault: "error", status: 429 }],
    ["reset", { fault: "reset" }],
  ] as const)(
    "retries a poll that fails (%s) and is confirmed; its POSTs are sent once",
    async (_, fault) => {
      const { sandbox, session, client } = await loggedIn();
      onChallengePoll(session, async (count, id) => {
        // The first poll and its first retry fail; the user approves before the second retry.
        if (count === 1) await sandbox.test.injectFault({ route: poll, times: 2, ...fault });
        if (count === 3) await sandbox.test.approveMfaChallenge(id);
      });
      const token = await client.auth.push.getConfirmedToken({ pollInterval: 20 });
      expect(token.confirmed).toBe(true);
      const id = await lastChallengeId(sandbox);
      expect(urls(session)).toEqual([
        "POST /api/user/mfa/challenges",
        ...Array.from({ length: 3 }, () => `GET /api/user/mfa/challenges/${id}`),
        `POST /api/user/mfa/challenges/${id}/token`,
      ]);
    },
  );

  it("is cancelled by cancelConfirmation() while it waits, and polls no more", async () => {
    const { session, client } = await loggedIn();
    const pending = client.auth.push.getConfirmedToken({ pollInterval: 30 }).catch((e: unknown) => e);
    await sleep(80);
    client.auth.push.cancelConfirmation();
    const error = await pending;
    expect(error).toBeInstanceOf(ChallengeCancelledError);
    expect(error).toMatchObject({ code: "CHALLENGE_CANCELLED" });
    const requests = await session.received();
    await sleep(100);
    expect(await session.received()).toBe(requests);
    client.auth.push.cancelConfirmation(); // nothing running: no effect
  });

  it("is cancelled by its signal during a request, which is aborted", async () => {
    // A poll the server never answers: the sandbox answers every request, at the latest after a delay.
    const server: LoopbackServer = await startLoopbackServer((request, response) => {
      if (request.method === "POST" && request.url === paths.mfaChallenges) {
        const expiresAt = new Date(Date.now() + 10_000).toISOString();
        sendJson(response, 201, { id: "challenge-1", status: "PENDING", expiresAt });
      }
    });
    closers.push(() => server.close());
    const client = new Client({ baseUrl: server.url, clientId: "c", clientSecret: "s", timeout: 2_000 });
    client.auth.tokenManager.setToken(fakeJwt({ sub: "user-1", exp: 1_900_000_000 }), "rt-unconfirmed");
    const polls = () => server.requests.filter((request) => request.method === "GET").length;
    const controller = new AbortController();
    const pending = client.auth.push
      .getConfirmedToken({ pollInterval: 20, signal: controller.signal })
      .catch((e: unknown) => e);
    await expect.poll(polls).toBe(1);
    const reason = new Error("user closed the dialog");
    controller.abort(reason);
    const error = await pending;
    expect(error).toBeInstanceOf(ChallengeCancelledError);
    expect((error as Error).cause).toBe(reason);
    await expect.poll(() => server.abortedRequests()).toBe(1);
  });

  it("sends nothing with a signal that has already aborted", async () => {
    const { session, client } = await loggedIn();
    await expect(client.auth.push.getConfirmedToken({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      ChallengeCancelledError,
    );
    expect(await session.received()).toBe(0);
  });

  it(`polls every ${defaultPollInterval} ms by default`, async () => {
    expect(defaultPollInterval).toBe(3_000);
    const { session, client } = await loggedIn();
    const pending = client.auth.push.getConfirmedToken().catch((e: unknown) => e);
    await sleep(500);
    expect(await session.received(poll)).toBe(0);
    client.auth.push.cancelConfirmation();
    expect(await pending).toBeInstanceOf(ChallengeCancelledError);
  });

  it("refuses a pollInterval that is not a positive number", async () => {
    const client = new Client({ clientId: "c" });
    for (const pollInterval of [0, -1, Number.NaN, 2 ** 31]) {
      await expect(client.auth.push.getConfirmedToken({ pollInterval })).rejects.toThrow(TypeError);
    }
  });
});

describe("PushAuth.list and answer", () => {
  it("lists pending challenges and answers one with a confirmed token (PATCH)", async () => {
    const { sandbox, session, client } = await loggedIn();
    // This app's device is bound, and its token confirmed with it.
    const signer = createSoftwareSigner();
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "phone",
      onBindingRequest: (request) => sandbox.test.confirmBindingRequest(request.id),
      otp: () => sandbox.test.latestOtp(),
    });
    await client.auth.device.confirm({ signer, deviceId });
    // Another login of the same user asks for MFA by push.
    const other = await sandbox.signIn();
    const pending = other.client.auth.push.getConfirmedToken({ pollInterval: 20 });

    await expect.poll(() => lastChallengeId(sandbox)).not.toBe("");
    const [challenge] = await client.auth.push.list();
    expect(challenge).toEqual({
      id: await lastChallengeId(sandbox),
      status: "PENDING",
      expiresAt: expect.any(String),
    });
    await client.auth.push.answer(challenge?.id ?? "", "VERIFIED");
    const patch = session.sent.find((request) => request.method === "PATCH");
    expect(patch?.url).toBe(`/api/user/mfa/challenges/${challenge?.id}`);
    expect(JSON.parse(patch?.body ?? "")).toEqual({ status: "VERIFIED" });
    await expect(pending).resolves.toMatchObject({ confirmed: true });
  });

  it("reports the API's refusal of an answer without a confirmed token, and refuses a bad status", async () => {
    const { client } = await loggedIn();
    await client.auth.push
      .getConfirmedToken({ pollInterval: 10, signal: AbortSignal.timeout(50) })
      .catch(() => {});
    const [challenge] = await client.auth.push.list();
    await expect(client.auth.push.answer(challenge?.id ?? "", "DENIED")).rejects.toMatchObject({
      code: "HTTP_ERROR",
      status: 403,
    });
    await expect(client.auth.push.answer("x", "MAYBE" as never)).rejects.toThrow(TypeError);
  });
});
