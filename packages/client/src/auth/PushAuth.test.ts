import { afterEach, describe, expect, it } from "vitest";
import { type FakePushMfa, type FakePushMfaOptions, startFakePushMfa } from "../../test/fakePushMfa";
import { sleep } from "../../test/loopbackServer";
import { defaultPollInterval } from "../async/defaultPollInterval";
import { Client } from "../Client";
import { ChallengeCancelledError } from "../errors/ChallengeCancelledError";
import { ChallengeDeniedError } from "../errors/ChallengeDeniedError";
import { ChallengeExpiredError } from "../errors/ChallengeExpiredError";
import { HttpError } from "../errors/HttpError";
import { NetworkError } from "../errors/NetworkError";

let fake: FakePushMfa | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function loggedIn(options?: FakePushMfaOptions) {
  fake = await startFakePushMfa(options);
  const client = new Client({ baseUrl: fake.url, clientId: "c", clientSecret: "s", timeout: 2_000 });
  client.auth.tokenManager.setToken(fake.accessToken, "rt-unconfirmed");
  return { fake, client };
}

const urls = (server: FakePushMfa) => server.requests.map((request) => `${request.method} ${request.url}`);

describe("PushAuth.getConfirmedToken", () => {
  it("polls until the challenge is approved, then installs the confirmed token", async () => {
    const { fake, client } = await loggedIn();
    fake.onPoll = (id, poll) => {
      if (poll === 2) {
        const challenge = fake.challenges.get(id);
        if (challenge) challenge.status = "VERIFIED";
      }
    };
    const started = Date.now();
    const token = await client.auth.push.getConfirmedToken({ pollInterval: 50 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    const id = fake.lastChallengeId();
    expect(urls(fake)).toEqual([
      "POST /api/user/mfa/challenges",
      `GET /api/user/mfa/challenges/${id}`,
      `GET /api/user/mfa/challenges/${id}`,
      `POST /api/user/mfa/challenges/${id}/token`,
    ]);
    expect(token).toMatchObject({
      accessToken: fake.confirmedAccessToken,
      refreshToken: "rt-confirmed",
      confirmed: true,
    });
    expect(client.auth.tokenManager.token).toBe(token);
  });

  it("rejects with ChallengeDeniedError when the user denies it", async () => {
    const { fake, client } = await loggedIn();
    fake.onPoll = (id) => {
      const challenge = fake.challenges.get(id);
      if (challenge) challenge.status = "DENIED";
    };
    const error = await client.auth.push.getConfirmedToken({ pollInterval: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeDeniedError);
    expect(error).toMatchObject({ code: "CHALLENGE_DENIED", challengeId: fake.lastChallengeId() });
    expect(urls(fake).some((url) => url.endsWith("/token"))).toBe(false);
    expect(client.auth.tokenManager.token?.accessToken).toBe(fake.accessToken);
  });

  it("rejects with ChallengeExpiredError once expiresAt has passed, polling a last time at expiresAt", async () => {
    const { fake, client } = await loggedIn({ challengeTtl: 250 });
    const pollTimes: number[] = [];
    fake.onPoll = () => pollTimes.push(Date.now());
    const error = await client.auth.push.getConfirmedToken({ pollInterval: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeExpiredError);
    expect(error).toMatchObject({ code: "CHALLENGE_EXPIRED", challengeId: fake.lastChallengeId() });
    const expiresAt = fake.challenges.get(fake.lastChallengeId())?.expiresAt.getTime() ?? 0;
    expect((error as ChallengeExpiredError).expiresAt.getTime()).toBe(expiresAt);
    // Polls at about 100 and 200 ms, and a last one at expiresAt (not at 300 ms).
    expect(pollTimes.length).toBeGreaterThanOrEqual(2);
    expect(pollTimes.at(-1)).toBeGreaterThanOrEqual(expiresAt - 5);
    expect(pollTimes.at(-1)).toBeLessThan(expiresAt + 90);
  });

  it("rejects with ChallengeExpiredError when the API says the challenge expired", async () => {
    const { fake, client } = await loggedIn({ challengeTtl: 120, expired: "gone" });
    const error = await client.auth.push.getConfirmedToken({ pollInterval: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeExpiredError);
    expect((error as ChallengeExpiredError).cause).toBeInstanceOf(HttpError);
    expect((error as ChallengeExpiredError).cause).toMatchObject({ status: 410 });
    expect(fake.polls()).toBe(1);
  });

  it.each([
    ["500", HttpError],
    ["reset", NetworkError],
  ] as const)(
    "rejects with the typed error of a failing poll (%s) and stops polling",
    async (failure, type) => {
      const { fake, client } = await loggedIn();
      fake.failPolls(failure);
      await expect(client.auth.push.getConfirmedToken({ pollInterval: 20 })).rejects.toBeInstanceOf(type);
      const polls = fake.polls();
      await sleep(100);
      expect(fake.polls()).toBe(polls);
    },
  );

  it("is cancelled by cancelConfirmation() while it waits, and polls no more", async () => {
    const { fake, client } = await loggedIn();
    const pending = client.auth.push.getConfirmedToken({ pollInterval: 30 }).catch((e: unknown) => e);
    await sleep(80);
    client.auth.push.cancelConfirmation();
    const error = await pending;
    expect(error).toBeInstanceOf(ChallengeCancelledError);
    expect(error).toMatchObject({ code: "CHALLENGE_CANCELLED" });
    const requests = fake.requests.length;
    await sleep(100);
    expect(fake.requests).toHaveLength(requests);
    client.auth.push.cancelConfirmation(); // nothing running: no effect
  });

  it("is cancelled by its signal during a request, which is aborted", async () => {
    const { fake, client } = await loggedIn();
    fake.failPolls("hang");
    const controller = new AbortController();
    const pending = client.auth.push
      .getConfirmedToken({ pollInterval: 20, signal: controller.signal })
      .catch((e: unknown) => e);
    await expect.poll(() => fake.polls()).toBe(1);
    const reason = new Error("user closed the dialog");
    controller.abort(reason);
    const error = await pending;
    expect(error).toBeInstanceOf(ChallengeCancelledError);
    expect((error as Error).cause).toBe(reason);
    await expect.poll(() => fake.abortedRequests()).toBe(1);
  });

  it("sends nothing with a signal that has already aborted", async () => {
    const { fake, client } = await loggedIn();
    await expect(client.auth.push.getConfirmedToken({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      ChallengeCancelledError,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it(`polls every ${defaultPollInterval} ms by default`, async () => {
    expect(defaultPollInterval).toBe(3_000);
    const { fake, client } = await loggedIn();
    const pending = client.auth.push.getConfirmedToken().catch((e: unknown) => e);
    await sleep(500);
    expect(fake.polls()).toBe(0);
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
    const { fake, client } = await loggedIn();
    const other = new Client({ baseUrl: fake.url, clientId: "c", clientSecret: "s" });
    other.auth.tokenManager.setToken(fake.accessToken);
    const pending = other.auth.push.getConfirmedToken({ pollInterval: 20 });

    await expect.poll(() => fake.lastChallengeId()).not.toBe("");
    client.auth.tokenManager.setToken(fake.confirmedAccessToken);
    const [challenge] = await client.auth.push.list();
    expect(challenge).toEqual({
      id: fake.lastChallengeId(),
      status: "PENDING",
      expiresAt: expect.any(String),
    });
    await client.auth.push.answer(challenge?.id ?? "", "VERIFIED");
    const patch = fake.requests.find((request) => request.method === "PATCH");
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
