import type { Client } from "@kontist-auth/client";
import { createDeviceSignature } from "@kontist-auth/crypto";
import { paths, sleep } from "@kontist-auth/protocol";
import { WebSocket } from "ws";
import { demoUser, otherUser } from "../sandboxSupport";
import { type FlowRun, knownSigner } from "./FlowRun";

// The client flows of the secret hygiene run, against one sandbox: the happy path (password login,
// binding request, bind, confirm, a subscription, refresh, GraphQL, push MFA approve and deny, logout)
// and its failing variants (wrong password, client secret, OTP and signature; injected resets, 5xx and a
// delay past the timeout; expired tokens). Every token, request, result and error is printed and
// rendered (`run.show`, `run.failing`).

/** Needs a confirmed token (MFA passed) for `mainAccount`. */
const viewerQuery = "{ viewer { id email mainAccount { iban balance } } }";
const unconfirmedQuery = "{ viewer { id email } }";
const newTransaction = "subscription { newTransaction { id amount name } }";
const pollInterval = 50;

/** The user's phone: approves or denies the pending push challenge that is not in `known`. */
async function phoneAnswers(run: FlowRun, known: ReadonlySet<string>, answer: "approve" | "deny") {
  for (let attempt = 0; attempt < 200; attempt++) {
    const fresh = (await run.target.test.mfaChallenges()).find(
      (challenge) => challenge.status === "PENDING" && !known.has(challenge.id),
    );
    if (fresh !== undefined) {
      await (answer === "approve"
        ? run.target.test.approveMfaChallenge(fresh.id)
        : run.target.test.denyMfaChallenge(fresh.id));
      return;
    }
    await sleep(20);
  }
  throw new Error("no new push challenge appeared");
}

const challengeIds = async (run: FlowRun) =>
  new Set((await run.target.test.mfaChallenges()).map((challenge) => challenge.id));

/** Login, binding request, bind, confirm, refresh, GraphQL, logout: the device-binding happy path. */
export async function deviceFlow(run: FlowRun): Promise<void> {
  const client = run.client({ webSocketImpl: WebSocket });
  const login = await client.auth.tokenManager.fetchTokenFromCredentials(demoUser);
  run.token(login);
  run.show("password login", login);
  run.show("password login, JSON", JSON.stringify(login));

  const request = await client.auth.device.requestBinding({ name: "hygiene request" });
  run.show("binding request", request);
  await run.target.test.confirmBindingRequest(request.id);
  run.show("binding request, confirmed", await client.auth.device.getBindingRequest(request.id));

  const signer = knownSigner(run.ledger, `device of ${run.target.name}`);
  run.show("software signer", signer);
  const bound = await client.auth.device.bind({
    signer,
    name: "hygiene device",
    pollInterval,
    onBindingRequest: async (pending) => {
      run.show("bind: binding request", pending);
      await run.target.test.confirmBindingRequest(pending.id);
    },
    otp: () => run.latestOtp(),
  });
  run.show("bind", bound);

  const confirmed = await client.auth.device.confirm({ signer, deviceId: bound.deviceId });
  run.token(confirmed);
  run.show("confirmed token", confirmed);
  run.show("bound devices", await client.auth.device.list());

  await subscriptionFlow(run, client);

  const refreshed = await client.auth.tokenManager.refresh();
  run.token(refreshed);
  run.show("refreshed token", refreshed);
  run.show("GraphQL", await client.graphQL.rawQuery(viewerQuery));
  run.show("client", client);

  await client.auth.tokenManager.logout();
  run.show("token after logout", client.auth.tokenManager.token);
  await run.failing("GraphQL after logout", () => client.graphQL.rawQuery(viewerQuery));
  await run.failing("REST after logout", () => client.request({ method: "GET", path: paths.mfaChallenges }));
}

/** A `newTransaction` subscription of the confirmed `client`, and one refused to an unconfirmed client. */
async function subscriptionFlow(run: FlowRun, client: Client): Promise<void> {
  const received: unknown[] = [];
  const unsubscribe = client.graphQL.subscribe(newTransaction, {
    next: (data) => received.push(data),
    error: (error) => run.show("subscription error", error),
  });
  for (let attempt = 0; attempt < 100 && received.length === 0; attempt++) {
    await run.target.test.bookTransaction({ amount: 1_00, name: "hygiene" });
    await sleep(30);
  }
  unsubscribe();
  run.show("subscription events", received);

  const unconfirmed = await run.loggedIn({ webSocketImpl: WebSocket });
  await run.failing("subscription with an unconfirmed token", async () => {
    const settled = new Promise<unknown>((resolve, reject) => {
      const unsubscribeRefused = unconfirmed.graphQL.subscribe(newTransaction, {
        next: resolve,
        error: reject,
      });
      setTimeout(() => {
        unsubscribeRefused();
        resolve("no answer in 3 s");
      }, 3_000).unref();
    });
    return settled;
  });
  await unconfirmed.auth.tokenManager.logout();
}

/** Push MFA approved and denied by "the phone", each on its own logged-in client. */
export async function pushFlows(run: FlowRun): Promise<void> {
  const approving = await run.loggedIn();
  let known = await challengeIds(run);
  const [approved] = await Promise.all([
    approving.auth.push.getConfirmedToken({ pollInterval }),
    phoneAnswers(run, known, "approve"),
  ]);
  run.token(approved);
  run.show("push MFA approved", approved);
  run.show("GraphQL, confirmed", await approving.graphQL.rawQuery(viewerQuery));

  const denying = await run.loggedIn({}, otherUser);
  known = await challengeIds(run);
  await run.failing("push MFA denied", async () => {
    const [token] = await Promise.all([
      denying.auth.push.getConfirmedToken({ pollInterval }),
      phoneAnswers(run, known, "deny"),
    ]);
    return token;
  });
  await approving.auth.tokenManager.logout();
  await denying.auth.tokenManager.logout();
}

/** Wrong password, client secret, OTP and signature: each typed error printed and rendered. */
export async function wrongCredentialFlows(run: FlowRun): Promise<void> {
  // Characters that change under percent- and form-encoding, as a real password may have.
  const wrongPassword = `wrong pässword "${crypto.randomUUID()}" +&=/`;
  run.ledger.add("password", wrongPassword);
  await run.failing("wrong password", () =>
    run.client().auth.tokenManager.fetchTokenFromCredentials({ ...demoUser, password: wrongPassword }),
  );
  const wrongSecret = `wrong-secret-${crypto.randomUUID()}`;
  run.clientSecret(wrongSecret);
  await run.failing("wrong client secret", () =>
    run.client({ clientSecret: wrongSecret }).auth.tokenManager.fetchTokenFromCredentials(demoUser),
  );
  await run.failing("wrong client secret, Basic authentication", () =>
    run
      .client({ clientSecret: wrongSecret, clientAuthentication: "basic" })
      .auth.tokenManager.fetchTokenFromCredentials(demoUser),
  );

  const client = await run.loggedIn();
  const signer = knownSigner(run.ledger, `wrong-OTP device of ${run.target.name}`);
  await run.failing("bind with a wrong OTP", () =>
    client.auth.device.bind({
      signer,
      name: "wrong OTP",
      pollInterval,
      onBindingRequest: (request) => run.target.test.confirmBindingRequest(request.id),
      otp: async () => {
        const otp = await run.latestOtp();
        const wrong = String((Number(otp) + 1) % 1_000_000).padStart(6, "0");
        run.ledger.add("OTP", wrong);
        return wrong;
      },
    }),
  );

  const deviceSigner = knownSigner(run.ledger, `wrong-signature device of ${run.target.name}`);
  const { deviceId } = await client.auth.device.bind({
    signer: deviceSigner,
    name: "wrong signature",
    pollInterval,
    onBindingRequest: (request) => run.target.test.confirmBindingRequest(request.id),
    otp: () => run.latestOtp(),
  });
  const otherKey = knownSigner(run.ledger, `not the device's key of ${run.target.name}`);
  await run.failing("confirm with another key's signature", () =>
    client.auth.device.confirm({ signer: otherKey, deviceId }),
  );
  await run.failing("a device challenge signed over the wrong text", async () => {
    const challenge = await client.auth.device.createDeviceChallenge(deviceId);
    const signature = await createDeviceSignature(deviceSigner, `${challenge.stringToSign}x`);
    return client.auth.device.verifyDeviceChallenge(deviceId, challenge.id, { signature });
  });
  await run.failing("an unknown REST path", () =>
    client.request({ method: "GET", path: "/api/user/nothing" }),
  );
  await client.auth.tokenManager.logout();
}

/** Faults injected by the sandbox: resets, 5xx and a delay past the client's timeout, on each kind of call. */
export async function networkFaultFlows(run: FlowRun): Promise<void> {
  const { test } = run.target;
  const token = "POST /api/oauth/token";
  const graphQL = "POST /api/graphql";
  try {
    await test.injectFault({ route: token, fault: "reset", times: 1 });
    await run.failing("login, connection reset", () =>
      run.client({ retry: false }).auth.tokenManager.fetchTokenFromCredentials(demoUser),
    );
    await test.injectFault({ route: token, fault: "error", status: 503, times: 1 });
    await run.failing("login, 503", () =>
      run.client({ retry: false }).auth.tokenManager.fetchTokenFromCredentials(demoUser),
    );

    const client = await run.loggedIn({ retry: false, timeout: 400 });
    await test.injectFault({ route: graphQL, fault: "error", status: 502, times: 1 });
    await run.failing("GraphQL, 502", () => client.graphQL.rawQuery(viewerQuery));
    await test.injectFault({ route: graphQL, fault: "reset", times: 1 });
    await run.failing("GraphQL, connection reset", () => client.graphQL.rawQuery(viewerQuery));
    // Answered after a 401 (renewed, sent again) and a 503 (retried): their events are searched too.
    const retrying = await run.loggedIn({ retry: { baseDelay: 10, maxDelay: 20 } });
    const challenges = "GET /api/user/mfa/challenges";
    await test.injectFault({ route: challenges, fault: "error", status: 401, times: 1 });
    await test.injectFault({ route: challenges, fault: "error", status: 503, times: 1 });
    run.show("push challenges, after a 401 and a 503", await retrying.auth.push.list());
    run.token(retrying.auth.tokenManager.token);
    await test.injectFault({ route: token, fault: "delay", delayMs: 1_000, times: 1 });
    await run.failing("refresh, past the timeout", () => client.auth.tokenManager.refresh());
    await test.injectFault({ route: token, fault: "reset", times: 1 });
    await run.failing("refresh, connection reset", () => client.auth.tokenManager.refresh());
    run.token(await client.auth.tokenManager.refresh());
    await client.auth.tokenManager.logout();
  } finally {
    await test.clearFaults();
  }
}

/**
 * Against a sandbox whose access tokens live a second: an expired token without a refresh token, an
 * expired one renewed on the next call, and the expired access token sent as it is.
 */
export async function expiryFlows(run: FlowRun, accessTokenTtl: number): Promise<void> {
  const withoutRefresh = await run.loggedIn({ scopes: ["users"] });
  const renewing = await run.loggedIn();
  const expired = renewing.auth.tokenManager.token;
  await sleep(accessTokenTtl * 1000 + 300);
  run.show("expired token", expired);
  await run.failing("GraphQL with an expired token and no refresh token", () =>
    withoutRefresh.graphQL.rawQuery(unconfirmedQuery),
  );
  run.show("GraphQL, renewed after expiry", await renewing.graphQL.rawQuery(unconfirmedQuery));
  run.token(renewing.auth.tokenManager.token);
  const stale = run.client({ scopes: ["users"] });
  if (expired !== null) stale.auth.tokenManager.setToken(expired.accessToken);
  await run.failing("REST with an expired access token", () =>
    stale.request({ method: "GET", path: paths.mfaChallenges }),
  );
  await run.failing("refresh without a refresh token", () => withoutRefresh.auth.tokenManager.refresh());
}
