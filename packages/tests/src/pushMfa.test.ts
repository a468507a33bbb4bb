import {
  ChallengeCancelledError,
  ChallengeDeniedError,
  ChallengeExpiredError,
  type Client,
  HttpError,
} from "@kontist-auth/client";
import { createSoftwareSigner } from "@kontist-auth/crypto";
import { sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asUser, loggedIn, type Sandbox, startSandbox } from "../test/sandboxSupport";

// Push-notification MFA: the client polls while "the phone" (the sandbox's test endpoints, or another
// app's confirmed client) answers.

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, mfaChallengeTtl: 2 });
});
afterAll(() => sandbox.close());

/** The ids of the user's pending challenges now, to tell a new one from those of earlier tests. */
async function pendingIds(client: Client): Promise<Set<string>> {
  return new Set((await client.auth.push.list()).map((challenge) => challenge.id));
}

/** Waits for a pending challenge that is not in `known`: the one a login just created. */
async function newChallenge(client: Client, known: Set<string>): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const fresh = (await client.auth.push.list()).find((challenge) => !known.has(challenge.id));
    if (fresh) return fresh.id;
    await sleep(20);
  }
  throw new Error("no new pending challenge appeared");
}

/** "The phone" answers the challenge the login just created. */
async function phoneAnswers(client: Client, known: Set<string>, answer: "approve" | "deny") {
  const id = await newChallenge(client, known);
  await (answer === "approve" ? sandbox.test.approveMfaChallenge(id) : sandbox.test.denyMfaChallenge(id));
}

describe("push MFA", () => {
  it("approve: a confirmed token, banking data readable, and renewals stay confirmed", async () => {
    const client = await loggedIn(sandbox);
    const known = await pendingIds(client);
    const [token] = await Promise.all([
      client.auth.push.getConfirmedToken({ pollInterval: 50 }),
      phoneAnswers(client, known, "approve"),
    ]);
    expect(token.confirmed).toBe(true);
    const data = await client.graphQL.rawQuery<{ viewer: { mainAccount: { iban: string } | null } }>(
      "{ viewer { id email mainAccount { iban balance } } }",
    );
    expect(data.viewer.mainAccount?.iban).toMatch(/^DE\d{20}$/);
    expect((await client.auth.tokenManager.refresh()).confirmed).toBe(true);
  });

  it("deny", async () => {
    const client = await loggedIn(sandbox);
    const known = await pendingIds(client);
    const [outcome] = await Promise.allSettled([
      client.auth.push.getConfirmedToken({ pollInterval: 50 }),
      phoneAnswers(client, known, "deny"),
    ]);
    expect(outcome.status === "rejected" && outcome.reason).toBeInstanceOf(ChallengeDeniedError);
    expect(client.auth.tokenManager.token?.confirmed).toBe(false);
  });

  it("expiry: nobody answers within the challenge's lifetime", async () => {
    const client = await loggedIn(sandbox);
    const started = Date.now();
    const error = await client.auth.push.getConfirmedToken({ pollInterval: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChallengeExpiredError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("cancel: cancelConfirmation() and an AbortSignal both settle the wait", async () => {
    const client = await loggedIn(sandbox);
    const waiting = client.auth.push.getConfirmedToken({ pollInterval: 50 });
    await sleep(120);
    client.auth.push.cancelConfirmation();
    await expect(waiting).rejects.toBeInstanceOf(ChallengeCancelledError);

    const controller = new AbortController();
    const aborted = client.auth.push.getConfirmedToken({ pollInterval: 50, signal: controller.signal });
    await sleep(120);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(ChallengeCancelledError);
  });

  it("a failing poll rejects with its typed error instead of hanging", async () => {
    const client = await loggedIn(sandbox);
    // The poll and its two retries (a GET is idempotent: clientDefaults.retry.limit is 2) all fail.
    await sandbox.test.injectFault({
      route: "GET /api/user/mfa/challenges/{challengeId}",
      fault: "error",
      times: 3,
    });
    const error = await client.auth.push.getConfirmedToken({ pollInterval: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 500 });
  });

  it("a bound device approves another login through the PATCH", async () => {
    // Only a token confirmed by a bound, verified device approves (issue 9, finding 11): one confirmed by a
    // push approval has no device behind it.
    const approver = await loggedIn(sandbox);
    const signer = createSoftwareSigner();
    const { deviceId } = await approver.auth.device.bind({ signer, name: "approver", ...asUser(sandbox) });
    await approver.auth.device.confirm({ signer, deviceId });

    const newLogin = await loggedIn(sandbox);
    const known = await pendingIds(approver);
    const waiting = newLogin.auth.push.getConfirmedToken({ pollInterval: 50 });
    await approver.auth.push.answer(await newChallenge(approver, known), "VERIFIED");
    expect((await waiting).confirmed).toBe(true);
  });

  it("an unconfirmed token may not answer a challenge (403)", async () => {
    const client = await loggedIn(sandbox);
    const known = await pendingIds(client);
    const waiting = client.auth.push.getConfirmedToken({ pollInterval: 50 });
    const error = await client.auth.push
      .answer(await newChallenge(client, known), "VERIFIED")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 403 });
    client.auth.push.cancelConfirmation();
    await expect(waiting).rejects.toBeInstanceOf(ChallengeCancelledError);
  });
});
