import { inspect } from "node:util";
import { Client, isKontistAuthError, type Token } from "@kontist-auth/client";
import { createPkceVerifier, createState } from "@kontist-auth/client/oauth";
import { createDeviceSignature, createSoftwareSigner, toDeviceKeyHex } from "@kontist-auth/crypto";
import { sleep } from "@kontist-auth/protocol";
import { Client as KontistClient, Errors as KontistErrors } from "kontist";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { authorizeAs, demoUser, type Sandbox, startSandbox } from "../../test/sandboxSupport";
import { bookUntilDelivered, type NewTransaction, newTransaction } from "../../test/subscriptionSupport";

// The examples of Kontist's SDK (npm `kontist`: its README, and the guide it points to at kontist.dev/sdk,
// with its advanced-authentication page) ported to @kontist-auth/client, run against the sandbox over
// loopback HTTP. Kontist's SDK (installed, 0.48.4) runs against the same sandbox beside each port, its code
// as documented, and both must reach the same outcome (the subscription aside: see there);
// docs/migrating-from-kontist-sdk.md tells the differences met here.

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

const clientId = "demo-client";
const clientSecret = "demo-secret";
// The README asks for ["transactions"], a scope the sandbox's demo client lacks; `offline` for a refresh token.
const scopes = ["users", "offline"];
const REDIRECT_URI = "http://localhost:3000/auth/callback";
/** The README's `state` and `verifier`: `(Math.random() + "").substring(2)`, 16 or so digits. */
const readmeRandom = () => String(Math.random()).substring(2);
const bankingQuery = "{ viewer { email mainAccount { iban balance } } }";

/** Banking data, readable with a confirmed token only: what every flow below ends with. */
interface Banking {
  viewer: { email: string; mainAccount: { iban: string; balance: number } | null };
}

/** Kontist's `rawQuery` is typed with Kontist's whole schema; the sandbox has a part of it. */
async function officialQuery<Data>(
  client: Pick<KontistClient, "graphQL">,
  query: string,
  variables?: Record<string, unknown>,
) {
  return (await client.graphQL.rawQuery(query, variables)) as unknown as Data;
}

/** Kontist's client and ours, both of the confidential demo client, for the password grant. */
function passwordClients() {
  return {
    official: new KontistClient({ baseUrl: sandbox.url, clientId, clientSecret, scopes }),
    ours: new Client({ baseUrl: sandbox.url, clientId, clientSecret, scopes }),
  };
}

/** The result of `promise`, or what it rejected with. */
function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => error,
  );
}

/**
 * The user's phone: from now on, answers each new push challenge as told, until `hangUp()`. Challenges
 * created before it was picked up are left alone.
 */
async function pickUpPhone(at: Sandbox, answer: "approve" | "deny") {
  const earlier = new Set((await at.test.mfaChallenges()).map((challenge) => challenge.id));
  const stop = new AbortController();
  const answering = (async () => {
    while (!stop.signal.aborted) {
      for (const { id, status } of await at.test.mfaChallenges()) {
        if (status !== "PENDING" || earlier.has(id)) continue;
        earlier.add(id);
        await (answer === "approve" ? at.test.approveMfaChallenge(id) : at.test.denyMfaChallenge(id));
      }
      await sleep(25);
    }
  })().then(
    () => undefined,
    (error: unknown) => error,
  );
  return {
    hangUp: async () => {
      stop.abort();
      const failure = await answering;
      if (failure !== undefined) throw failure;
    },
  };
}

describe("README: Usage (NodeJS / TypeScript): authorization code with a client secret", () => {
  it("redirects to the same login, gets a token from the callback, and refreshes it", async () => {
    // Kontist's SDK, as in its README (an express app's two routes, played here without express).
    const official = new KontistClient({
      baseUrl: sandbox.url,
      clientId,
      redirectUri: REDIRECT_URI,
      scopes,
      clientSecret,
      state: readmeRandom(),
    });
    const officialAuthUri = await official.auth.tokenManager.getAuthUri(); // GET /auth
    const officialCallback = new URL(await authorizeAs(officialAuthUri)); // the user logs in, with MFA
    const officialToken = await official.auth.tokenManager.fetchToken(
      officialCallback.pathname + officialCallback.search, // req.originalUrl
    );

    // Ours: `state` from a CSPRNG, and fetchToken takes the callback's absolute URL.
    const ours = new Client({
      baseUrl: sandbox.url,
      clientId,
      redirectUri: REDIRECT_URI,
      scopes,
      clientSecret,
      state: createState(),
    });
    const ourAuthUri = await ours.auth.tokenManager.getAuthUri();
    const ourCallback = new URL(await authorizeAs(ourAuthUri));
    const originalUrl = ourCallback.pathname + ourCallback.search;
    const ourToken = await ours.auth.tokenManager.fetchToken(new URL(originalUrl, REDIRECT_URI));

    // The same authorization request, parameter for parameter (only `state` differs).
    const parameters = (uri: string) => {
      const { origin, pathname, searchParams } = new URL(uri);
      return { at: origin + pathname, ...Object.fromEntries(searchParams), state: "…" };
    };
    expect(parameters(ourAuthUri)).toEqual(parameters(officialAuthUri));

    // The same kind of token: a bearer access token and a refresh token; the login included MFA.
    expect(officialToken.accessToken).toEqual(expect.any(String));
    expect(officialToken.refreshToken).toEqual(expect.any(String));
    expect(ourToken.refreshToken).toEqual(expect.any(String));
    expect(ourToken.tokenType.toLowerCase()).toBe(officialToken.tokenType.toLowerCase());
    expect(ourToken.confirmed).toBe(true);

    // "You should be able to issue new accessToken by simply calling refresh()" (theirs takes a timeout;
    // ours has the client's `timeout` option).
    const officialRenewed = await official.auth.tokenManager.refresh(20000);
    const ourRenewed = await ours.auth.tokenManager.refresh();
    expect(officialRenewed.accessToken).not.toBe(officialToken.accessToken);
    expect(ourRenewed.accessToken).not.toBe(ourToken.accessToken);

    const officialData = await officialQuery<Banking>(official, bankingQuery);
    const ourData = await ours.graphQL.rawQuery<Banking>(bankingQuery);
    expect(ourData).toEqual(officialData);
    expect(ourData.viewer.mainAccount?.iban).toMatch(/^DE\d{20}$/);
  });
});

describe("README: a client for public requests, without clientId", () => {
  it("sends GraphQL without Authorization, and gets the same answers", async () => {
    const official = new KontistClient({ baseUrl: sandbox.url, scopes: ["users"], state: "1234" });
    const ours = new Client({ baseUrl: sandbox.url });
    expect(official.auth).toBeUndefined();

    const query = "{ __typename }";
    expect(await ours.graphQL.rawQuery(query)).toEqual(await officialQuery(official, query));

    // A field that needs a user: both send it unauthenticated and get the API's 401 as a GraphQLError.
    const officialError = await outcome(official.graphQL.rawQuery("{ viewer { id } }"));
    const ourError = await outcome(ours.graphQL.rawQuery("{ viewer { id } }"));
    expect(officialError).toBeInstanceOf(KontistErrors.GraphQLError);
    expect(officialError).toMatchObject({ status: 401 });
    expect(isKontistAuthError(ourError, "GRAPHQL_ERROR") && ourError.status).toBe(401);
  });
});

describe("README: Usage (Browser): PKCE, then a raw GraphQL query", () => {
  it("logs in with a verifier and reads the main account", async () => {
    const redirectUri = "http://localhost:5173/";
    // Kontist's SDK, as in its README (sessionStorage aside): state and verifier from Math.random().
    const official = new KontistClient({
      baseUrl: sandbox.url,
      clientId: "demo-public",
      redirectUri,
      scopes: ["users"],
      state: readmeRandom(),
      verifier: readmeRandom(),
    });
    const officialCallback = await authorizeAs(await official.auth.tokenManager.getAuthUri());
    await official.auth.tokenManager.fetchToken(officialCallback); // document.location.href
    const officialResult = await officialQuery<Banking>(official, bankingQuery);

    // Ours refuses a verifier shorter than RFC 7636's 43 characters: createPkceVerifier() makes one.
    const shortVerifier = readmeRandom();
    const pkce = { baseUrl: sandbox.url, clientId: "demo-public", redirectUri, scopes: ["users"] };
    expect(() => new Client({ ...pkce, state: createState(), verifier: shortVerifier })).toThrow(TypeError);
    const ours = new Client({ ...pkce, state: createState(), verifier: createPkceVerifier() });
    const ourCallback = await authorizeAs(await ours.auth.tokenManager.getAuthUri());
    const ourToken = await ours.auth.tokenManager.fetchToken(ourCallback);
    const ourResult = await ours.graphQL.rawQuery<Banking>(bankingQuery);

    expect(ourResult).toEqual(officialResult);
    expect(ourResult.viewer.mainAccount).not.toBeNull();
    // No refresh token for a browser PKCE client: in a browser refresh() renews in a hidden iframe
    // (`prompt=none`), which needs a page (see the browser tests), in Node it says so.
    expect(ourToken.refreshToken).toBeUndefined();
    const renewal = await outcome(ours.auth.tokenManager.refresh());
    expect(isKontistAuthError(renewal, "TOKEN_RENEWAL_FAILED")).toBe(true);
  });
});

describe("README and kontist.dev: MFA by push notification", () => {
  it("approved on the phone: a confirmed token, banking data, and renewals stay confirmed", async () => {
    const { official, ours } = passwordClients();
    // kontist.dev, "Login and fetch transactions": the password grant, then push MFA.
    await official.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    await ours.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    const beforeMfa = await outcome(ours.graphQL.rawQuery(bankingQuery));
    expect(isKontistAuthError(beforeMfa, "GRAPHQL_ERROR") && beforeMfa.status).toBe(403);

    const phone = await pickUpPhone(sandbox, "approve");
    const [officialConfirmed, ourConfirmed] = await Promise.all([
      official.auth.push.getConfirmedToken(), // polls every 3 s
      ours.auth.push.getConfirmedToken(), // so does ours, by default (`pollInterval`)
    ]).finally(phone.hangUp);
    expect(officialConfirmed.refreshToken).toEqual(expect.any(String));
    expect(ourConfirmed.confirmed).toBe(true);
    expect(ourConfirmed.refreshToken).toEqual(expect.any(String));

    // "the received refreshToken is confirmed": renew, and the new access token is confirmed too.
    await official.auth.tokenManager.refresh();
    expect((await ours.auth.tokenManager.refresh()).confirmed).toBe(true);
    const officialData = await officialQuery<Banking>(official, bankingQuery);
    expect(await ours.graphQL.rawQuery<Banking>(bankingQuery)).toEqual(officialData);
  });

  it("denied on the phone: ChallengeDeniedError in both", async () => {
    const { official, ours } = passwordClients();
    await official.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    await ours.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    const phone = await pickUpPhone(sandbox, "deny");
    const [officialError, ourError] = await Promise.all([
      outcome(official.auth.push.getConfirmedToken()),
      outcome(ours.auth.push.getConfirmedToken()),
    ]).finally(phone.hangUp);
    expect(officialError).toBeInstanceOf(KontistErrors.ChallengeDeniedError);
    expect(isKontistAuthError(ourError, "CHALLENGE_DENIED")).toBe(true);
    expect(ours.auth.tokenManager.token?.confirmed).toBe(false);
  });

  it("not answered in time: ChallengeExpiredError in both", async () => {
    const shortLived = await startSandbox({ port: 0, mfaChallengeTtl: 1 });
    try {
      const official = new KontistClient({ baseUrl: shortLived.url, clientId, clientSecret, scopes });
      const ours = new Client({ baseUrl: shortLived.url, clientId, clientSecret, scopes });
      await official.auth.tokenManager.fetchTokenFromCredentials(demoUser);
      await ours.auth.tokenManager.fetchTokenFromCredentials(demoUser);
      const [officialError, ourError] = await Promise.all([
        outcome(official.auth.push.getConfirmedToken()), // finds out at its next poll, 3 s later
        outcome(ours.auth.push.getConfirmedToken()), // polls once more at `expiresAt`
      ]);
      expect(officialError).toBeInstanceOf(KontistErrors.ChallengeExpiredError);
      expect(isKontistAuthError(ourError, "CHALLENGE_EXPIRED")).toBe(true);
    } finally {
      await shortLived.close();
    }
  });

  it("cancelConfirmation(): MFAConfirmationCanceledError there, ChallengeCancelledError here", async () => {
    const { official, ours } = passwordClients();
    await official.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    await ours.auth.tokenManager.fetchTokenFromCredentials(demoUser);

    // Kontist's cancel takes effect once the challenge exists and its first poll has come back.
    const poll = "GET /api/user/mfa/challenges/{challengeId}";
    const polls = async () => (await sandbox.test.stats()).requests[poll] ?? 0;
    const pollsBefore = await polls();
    const officialWaiting = outcome(official.auth.push.getConfirmedToken());
    await vi.waitFor(async () => expect(await polls()).toBeGreaterThan(pollsBefore), { interval: 20 });
    await sleep(100);
    official.auth.push.cancelConfirmation();
    const officialError = await officialWaiting;
    expect(officialError).toBeInstanceOf(KontistErrors.MFAConfirmationCanceledError);

    // Ours at any moment, a request in flight included; or with an AbortSignal.
    const ourWaiting = outcome(ours.auth.push.getConfirmedToken());
    ours.auth.push.cancelConfirmation();
    expect(isKontistAuthError(await ourWaiting, "CHALLENGE_CANCELLED")).toBe(true);
    const aborted = outcome(ours.auth.push.getConfirmedToken({ signal: AbortSignal.timeout(50) }));
    expect(isKontistAuthError(await aborted, "CHALLENGE_CANCELLED")).toBe(true);
  });
});

describe("kontist.dev: using an existing token (setToken)", () => {
  it("takes over the tokens Kontist's SDK got, and renews them", async () => {
    const official = new KontistClient({ baseUrl: sandbox.url, clientId, clientSecret, scopes });
    const { accessToken, refreshToken } =
      await official.auth.tokenManager.fetchTokenFromCredentials(demoUser);

    // What an app kept from Kontist's SDK carries over as it is.
    const ours = new Client({ baseUrl: sandbox.url, clientId, clientSecret, scopes });
    const token = ours.auth.tokenManager.setToken(accessToken, refreshToken);
    expect(token.scopes).toEqual(scopes);
    const { viewer } = await ours.graphQL.rawQuery<{ viewer: { email: string } }>("{ viewer { email } }");
    expect(viewer.email).toBe(demoUser.username);
    const renewed = await ours.auth.tokenManager.refresh();
    expect(renewed.accessToken).not.toBe(accessToken);
  });
});

describe("kontist.dev, advanced authentication: device binding, then MFA with the device", () => {
  it("binds a device and confirms the token by a device challenge; renewals stay confirmed", async () => {
    // Kontist's SDK, step by step as its guide shows, after today's device binding request, which it has
    // no method for (rawQuery does it), and with a software key standing in for the secure key store.
    const official = new KontistClient({ baseUrl: sandbox.url, clientId, clientSecret, scopes });
    await official.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    const { createDeviceBindingRequest } = await officialQuery<{
      createDeviceBindingRequest: { id: string };
    }>(official, "mutation ($name: String!) { createDeviceBindingRequest(deviceName: $name) { id } }", {
      name: "iPhone XS",
    });
    await sandbox.test.confirmBindingRequest(createDeviceBindingRequest.id); // the user's click in the e-mail
    const officialKey = createSoftwareSigner();
    const created = await official.auth.device.createDevice({
      name: "iPhone XS",
      key: toDeviceKeyHex(await officialKey.getPublicKey()),
    });
    await official.auth.device.verifyDevice(created.deviceId, {
      challengeId: created.challengeId,
      signature: await createDeviceSignature(officialKey, await sandbox.test.latestOtp()),
    });
    const challenge = await official.auth.device.createDeviceChallenge(created.deviceId);
    const officialConfirmed = await official.auth.device.verifyDeviceChallenge(
      created.deviceId,
      challenge.id,
      {
        signature: await createDeviceSignature(officialKey, challenge.stringToSign),
      },
    );
    expect(officialConfirmed.refreshToken).toEqual(expect.any(String));
    await official.auth.tokenManager.refresh();
    const officialData = await officialQuery<Banking>(official, bankingQuery);

    // Ours, the same steps: the binding request and its wait are calls of their own.
    const ours = new Client({ baseUrl: sandbox.url, clientId, clientSecret, scopes });
    await ours.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    const signer = createSoftwareSigner();
    const request = await ours.auth.device.requestBinding({ name: "My laptop" });
    await sandbox.test.confirmBindingRequest(request.id);
    await ours.auth.device.waitForBindingConfirmation(request.id);
    const { deviceId, challengeId } = await ours.auth.device.createDevice({
      name: "My laptop",
      key: toDeviceKeyHex(await signer.getPublicKey()),
    });
    await ours.auth.device.verifyDevice(deviceId, {
      challengeId,
      signature: await createDeviceSignature(signer, await sandbox.test.latestOtp()),
    });
    const { id, stringToSign } = await ours.auth.device.createDeviceChallenge(deviceId);
    const ourConfirmed = await ours.auth.device.verifyDeviceChallenge(deviceId, id, {
      signature: await createDeviceSignature(signer, stringToSign),
    });
    expect(ourConfirmed.confirmed).toBe(true);
    expect(ourConfirmed.refreshToken).toEqual(expect.any(String));
    expect((await ours.auth.tokenManager.refresh()).confirmed).toBe(true);
    expect(await ours.graphQL.rawQuery<Banking>(bankingQuery)).toEqual(officialData);

    // Or in two calls: bind() (request, wait, key, OTP) and confirm() (the device challenge).
    const quick = new Client({ baseUrl: sandbox.url, clientId, clientSecret, scopes });
    await quick.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    const bound = await quick.auth.device.bind({
      signer,
      name: "My laptop, again",
      onBindingRequest: (bindingRequest) => sandbox.test.confirmBindingRequest(bindingRequest.id),
      otp: () => sandbox.test.latestOtp(),
    });
    expect((await quick.auth.device.confirm({ signer, deviceId: bound.deviceId })).confirmed).toBe(true);

    const devices = (await ours.auth.device.list()).map((device) => device.id);
    expect(devices).toEqual(expect.arrayContaining([created.deviceId, deviceId, bound.deviceId]));
  });
});

describe("README: subscribing to new transactions", () => {
  it("client.models.transaction.subscribe(onNext, onError) becomes graphQL.subscribe(query, { next, error })", async () => {
    // Kontist's SDK is not run here: under vitest's module loader its `ws` import is not the WebSocket
    // class (in plain Node it is). Its subscribe hands onNext data[type]; ours hands `next` the event's data.
    const ours = new Client({
      baseUrl: sandbox.url,
      clientId,
      clientSecret,
      redirectUri: REDIRECT_URI,
      scopes,
      state: createState(),
      webSocketImpl: WebSocket, // Node 20 has no global WebSocket
    });
    // The login page includes MFA: a confirmed token, as newTransaction needs.
    await ours.auth.tokenManager.fetchToken(await authorizeAs(await ours.auth.tokenManager.getAuthUri()));

    const transactions: NewTransaction["newTransaction"][] = [];
    const errors: unknown[] = [];
    const onNext = (transaction: NewTransaction["newTransaction"]) => transactions.push(transaction);
    const onError = (error: unknown) => errors.push(error);
    const unsubscribe = ours.graphQL.subscribe<NewTransaction>(newTransaction, {
      next: (data) => onNext(data.newTransaction),
      error: onError,
    });
    try {
      await bookUntilDelivered(
        sandbox,
        { amount: -1250, name: "Coffee Roasters GmbH" },
        () => transactions.length,
      );
      expect(transactions.at(-1)).toEqual({
        id: expect.any(String),
        amount: -1250,
        name: "Coffee Roasters GmbH",
      });
      expect(errors).toEqual([]);
    } finally {
      unsubscribe(); // Kontist's: const { unsubscribe } = subscribe(…); unsubscribe();
    }
  });
});

describe("what each throws", () => {
  it("a wrong password: client-oauth2's EAUTH Error there, OAuth2Error here", async () => {
    const { official, ours } = passwordClients();
    const credentials = { username: demoUser.username, password: "wrong" };
    const officialError = await outcome(official.auth.tokenManager.fetchTokenFromCredentials(credentials));
    const ourError = await outcome(ours.auth.tokenManager.fetchTokenFromCredentials(credentials));
    expect(officialError).not.toBeInstanceOf(KontistErrors.KontistSDKError);
    expect(officialError).toMatchObject({ code: "EAUTH", body: { error: "invalid_grant" } });
    expect(isKontistAuthError(ourError, "OAUTH2_ERROR") && [ourError.error, ourError.status]).toEqual([
      "invalid_grant",
      400,
    ]);
  });

  it("renewals: RenewTokenError there; OAuth2Error or TokenRenewalError here", async () => {
    const { official, ours } = passwordClients();
    official.auth.tokenManager.setToken("an-access-token", "a-revoked-refresh-token");
    ours.auth.tokenManager.setToken("an-access-token", "a-revoked-refresh-token");
    const officialRefused = await outcome(official.auth.tokenManager.refresh());
    const ourRefused = await outcome(ours.auth.tokenManager.refresh());
    expect(officialRefused).toBeInstanceOf(KontistErrors.RenewTokenError);
    expect(isKontistAuthError(ourRefused, "OAUTH2_ERROR") && ourRefused.error).toBe("invalid_grant");

    official.auth.tokenManager.setToken("an-access-token");
    ours.auth.tokenManager.setToken("an-access-token");
    expect(await outcome(official.auth.tokenManager.refresh())).toBeInstanceOf(KontistErrors.RenewTokenError);
    expect(isKontistAuthError(await outcome(ours.auth.tokenManager.refresh()), "TOKEN_RENEWAL_FAILED")).toBe(
      true,
    );
  });

  it("no token: UserUnauthorizedError there, NoTokenError here; nothing is sent", async () => {
    const { official, ours } = passwordClients();
    const officialError = await outcome(official.auth.device.createDeviceChallenge("device-id"));
    const ourError = await outcome(ours.auth.device.createDeviceChallenge("device-id"));
    expect(officialError).toBeInstanceOf(KontistErrors.UserUnauthorizedError);
    expect(isKontistAuthError(ourError, "NO_TOKEN")).toBe(true);
  });

  it("a refused access token: KontistSDKError 401 there, UnauthorizedError 401 here", async () => {
    const { official, ours } = passwordClients();
    official.auth.tokenManager.setToken("not-a-valid-token");
    ours.auth.tokenManager.setToken("not-a-valid-token");
    const officialError = await outcome(official.auth.device.createDeviceChallenge("device-id"));
    const ourError = await outcome(ours.auth.device.createDeviceChallenge("device-id"));
    expect(officialError).toBeInstanceOf(KontistErrors.KontistSDKError);
    expect(officialError).toMatchObject({ status: 401 });
    expect(isKontistAuthError(ourError, "UNAUTHORIZED") && ourError.status).toBe(401);
  });

  it("banking data with an unconfirmed token: GraphQLError 403 in both", async () => {
    const { official, ours } = passwordClients();
    await official.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    await ours.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    const officialError = await outcome(official.graphQL.rawQuery(bankingQuery));
    const ourError = await outcome(ours.graphQL.rawQuery(bankingQuery));
    expect(officialError).toBeInstanceOf(KontistErrors.GraphQLError);
    expect(officialError).toMatchObject({ status: 403 });
    expect(isKontistAuthError(ourError, "GRAPHQL_ERROR") && [ourError.status, ourError.type]).toEqual([
      403,
      (officialError as { type?: string }).type,
    ]);
  });

  it("a denied login and a callback of another login: EAUTH Error and TypeError there, typed here", async () => {
    const options = { baseUrl: sandbox.url, clientId, clientSecret, redirectUri: REDIRECT_URI, scopes };
    const official = new KontistClient({ ...options, state: "1234" });
    const ours = new Client({ ...options, state: createState() });

    const officialDenied = await authorizeAs(await official.auth.tokenManager.getAuthUri(), demoUser, "deny");
    const ourDenied = await authorizeAs(await ours.auth.tokenManager.getAuthUri(), demoUser, "deny");
    const officialError = await outcome(official.auth.tokenManager.fetchToken(officialDenied));
    const ourError = await outcome(ours.auth.tokenManager.fetchToken(ourDenied));
    expect(officialError).toMatchObject({ code: "EAUTH", message: '{"type":"AccessDeniedError"}' });
    expect(isKontistAuthError(ourError, "AUTHORIZATION_ERROR") && [ourError.error, ourError.type]).toEqual([
      "access_denied",
      "AccessDeniedError",
    ]);

    const planted = "?code=a-code-of-someone-else&state=another-state";
    const officialMismatch = await outcome(official.auth.tokenManager.fetchToken(REDIRECT_URI + planted));
    const ourMismatch = await outcome(ours.auth.tokenManager.fetchToken(REDIRECT_URI + planted));
    expect(officialMismatch).toBeInstanceOf(TypeError);
    expect(officialMismatch).toMatchObject({ message: "Invalid state: another-state" });
    expect(isKontistAuthError(ourMismatch, "STATE_MISMATCH")).toBe(true);
  });

  it("what a token shows: its access token and the client secret there, neither here", async () => {
    const { official, ours } = passwordClients();
    const officialToken = await official.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    const ourToken: Token = await ours.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    // console.log(token) prints util.inspect's view; theirs holds the OAuth2 client and its options.
    const officialView = inspect(officialToken);
    expect(officialView).toContain(officialToken.accessToken);
    expect(officialView).toContain(clientSecret);
    const secrets = [ourToken.accessToken, ourToken.refreshToken, clientSecret];
    expect(secrets).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
    for (const view of [inspect(ourToken), JSON.stringify(ourToken)]) {
      for (const secret of secrets) expect(view).not.toContain(secret);
    }
  });
});

describe("renewal: by hand there, ahead of expiry here", () => {
  it("a token past its lifetime: Kontist's SDK gets a 401, ours renews it first", async () => {
    const shortLived = await startSandbox({ port: 0, accessTokenTtl: 1 });
    try {
      const official = new KontistClient({ baseUrl: shortLived.url, clientId, clientSecret, scopes });
      const ours = new Client({ baseUrl: shortLived.url, clientId, clientSecret, scopes });
      await official.auth.tokenManager.fetchTokenFromCredentials(demoUser);
      await ours.auth.tokenManager.fetchTokenFromCredentials(demoUser);
      await sleep(1_100); // both access tokens have expired

      const query = "{ viewer { email } }";
      const officialError = await outcome(official.graphQL.rawQuery(query));
      expect(officialError).toBeInstanceOf(KontistErrors.GraphQLError);
      expect(officialError).toMatchObject({ status: 401 });
      const refreshesBefore = await shortLived.test.grantCount("refresh_token");
      expect(await ours.graphQL.rawQuery(query)).toEqual({ viewer: { email: demoUser.username } });
      expect(await shortLived.test.grantCount("refresh_token")).toBe(refreshesBefore + 1);

      // Kontist's SDK: refresh, then ask again.
      await official.auth.tokenManager.refresh();
      expect(await officialQuery(official, query)).toEqual({ viewer: { email: demoUser.username } });
    } finally {
      await shortLived.close();
    }
  });
});
