import { deviceGraphQL, paths } from "@kontist-auth/protocol";
import { type RunningSandbox, type SandboxOptions, startSandbox } from "@kontist-auth/sandbox";
import { Client } from "../src/Client";
import type { ClientOptions } from "../src/options/ClientOptions";

// The client's tests against a real sandbox (`@kontist-auth/sandbox`, started in the test): its seeded
// identities, a client signed in to it that records what it sends, and counts of what the sandbox received.
// The sandbox's typed test client (`sandbox.test`) plays the user and their phone; a loopback server with an
// inline handler (./loopbackServer) stays only for what the sandbox cannot do (hang, a malformed answer).

/** The sandbox's seeded confidential client. */
export const sandboxClient = { clientId: "demo-client", clientSecret: "demo-secret" } as const;
/** The sandbox's first seeded user. */
export const sandboxUser = { username: "demo@example.com", password: "demo-password" } as const;

/** A request a client sent, as its `fetch` saw it; `url` is the path and query, as a loopback server records it. */
export interface SentRequest {
  method: string;
  url: string;
  /** Lower-case names, as Node writes them. */
  headers: Record<string, string>;
  body: string;
  /** A copy of the answer, once it came. */
  response?: Response;
}

/** A client signed in to a sandbox, and what it sent since. */
export interface SignedInClient {
  client: Client;
  /** The access token of the sign-in (unconfirmed). */
  accessToken: string;
  /** The refresh token of the sign-in. */
  refreshToken: string;
  /** The requests `client` sent since signing in, oldest first. */
  sent: SentRequest[];
  /**
   * Called before each request of `client` is sent, and waited for (e.g. to confirm a binding request
   * before the third poll goes out).
   */
  onSend: ((request: SentRequest) => void | Promise<void>) | undefined;
  /**
   * How many requests the sandbox received since the sign-in, from any client: to `route` (a key of its
   * stats, e.g. `"POST /api/graphql"`), or to any route.
   */
  received(route?: string): Promise<number>;
}

/** A sandbox started for the client's tests. */
export interface ClientSandbox extends RunningSandbox {
  /**
   * A client of the seeded confidential client, asking for `users offline` unless `options` say otherwise,
   * signed in as the seeded user with the password grant. `options.fetch`, if given, sends its requests.
   */
  signIn(options?: Partial<ClientOptions>): Promise<SignedInClient>;
  /** How many requests the sandbox received since it started or was reset: to `route`, or to any route. */
  received(route?: string): Promise<number>;
}

/** Where {@link recordingFetch} records: the requests sent, oldest first, and what to await before each. */
export type RequestRecorder = Pick<SignedInClient, "sent" | "onSend">;

/**
 * A `fetch` that records each request in `recorder.sent` (and a copy of its answer, once it came), waits
 * for `recorder.onSend`, then sends it with `send`: what a client not signed in (`new Client({ fetch })`)
 * sent.
 */
export function recordingFetch(
  recorder: RequestRecorder,
  send: typeof globalThis.fetch = globalThis.fetch,
): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const { pathname, search } = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const sent: SentRequest = {
      method: request.method,
      url: `${pathname}${search}`,
      headers,
      body: await request.clone().text(),
    };
    recorder.sent.push(sent);
    await recorder.onSend?.(sent);
    const response = await send(request);
    sent.response = response.clone();
    return response;
  };
}

type RequestCounts = Record<string, number>;

const countOf = (requests: RequestCounts, route?: string) =>
  route === undefined
    ? Object.values(requests).reduce((sum, count) => sum + count, 0)
    : (requests[route] ?? 0);

/**
 * Starts a sandbox on a free port for the client's tests (`options` as `startSandbox` takes them); close it
 * in `afterAll`, and `reset()` it between tests.
 */
export async function startClientSandbox(sandboxOptions: SandboxOptions = {}): Promise<ClientSandbox> {
  const sandbox = await startSandbox({ port: 0, ...sandboxOptions });
  const requestCounts = async () => (await sandbox.test.stats()).requests;

  async function signIn(options: Partial<ClientOptions> = {}): Promise<SignedInClient> {
    const send = options.fetch ?? globalThis.fetch;
    const session: SignedInClient = {
      client: new Client({
        baseUrl: sandbox.url,
        ...sandboxClient,
        scopes: ["users", "offline"],
        ...options,
        fetch: (input, init) => recordingFetch(session, send)(input, init),
      }),
      accessToken: "",
      refreshToken: "",
      sent: [],
      onSend: undefined,
      received: async () => 0,
    };
    const token = await session.client.auth.tokenManager.fetchTokenFromCredentials(sandboxUser);
    session.accessToken = token.accessToken;
    session.refreshToken = token.refreshToken ?? "";
    session.sent.length = 0;
    const before = await requestCounts();
    session.received = async (route) => countOf(await requestCounts(), route) - countOf(before, route);
    return session;
  }

  return {
    ...sandbox,
    signIn,
    received: async (route) => countOf(await requestCounts(), route),
  };
}

/**
 * Calls `action` with the poll's number (from 1) and the binding request's id before each poll
 * (`getDeviceBindingRequest`) of `session`'s client goes out, and waits for it: the user confirming after
 * the second poll, a fault armed for the third.
 */
export function onBindingRequestPoll(
  session: SignedInClient,
  action: (poll: number, id: string) => unknown,
): void {
  let poll = 0;
  session.onSend = async (request) => {
    if (request.url !== "/api/graphql") return;
    const { query, variables } = JSON.parse(request.body) as { query?: string; variables?: { id?: string } };
    if (query !== deviceGraphQL.getDeviceBindingRequest) return;
    poll += 1;
    await action(poll, variables?.id ?? "");
  };
}

/**
 * The polls (`getDeviceBindingRequest`) the sandbox received since `session` signed in, in a test whose only
 * other GraphQL request is the one `createDeviceBindingRequest` before them (the sandbox counts per route).
 */
export async function bindingRequestPolls(session: SignedInClient): Promise<number> {
  return (await session.received("POST /api/graphql")) - 1;
}

/**
 * Calls `action` with the poll's number (from 1) and the challenge's id before each poll of a push MFA
 * challenge (`GET /api/user/mfa/challenges/{id}`) of `session`'s client goes out, and waits for it: the
 * user approving on their phone before the second poll.
 */
export function onChallengePoll(
  session: SignedInClient,
  action: (poll: number, id: string) => unknown,
): void {
  let poll = 0;
  session.onSend = async (request) => {
    const id = /^\/api\/user\/mfa\/challenges\/([^/?]+)$/.exec(request.url)?.[1];
    if (request.method !== "GET" || id === undefined) return;
    poll += 1;
    await action(poll, decodeURIComponent(id));
  };
}

/**
 * Sandbox options whose request log notes in `refused` each token request the sandbox refused with 400
 * (an OAuth2 error, such as `invalid_grant` for a reused or unknown refresh token).
 */
export function noteRefusedTokenRequests(refused: string[]): Pick<SandboxOptions, "log"> {
  return {
    log: (line) => {
      if (line.startsWith(`POST ${paths.token} 400 `)) refused.push(line);
    },
  };
}
