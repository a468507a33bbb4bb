import { randomUUID } from "node:crypto";
import { fakeJwt } from "./fakeJwt";
import { type LoopbackServer, sendJson, startLoopbackServer } from "./loopbackServer";

/** Options of {@link startFakePushMfa}. */
export interface FakePushMfaOptions {
  /** Lifetime of a challenge in milliseconds; default 10 000. */
  challengeTtl?: number;
  /** How a poll of an expired challenge is answered: still `PENDING` (default), or 410 with a message. */
  expired?: "pending" | "gone";
}

/** Push MFA endpoints with the phone's side (`approve`, `deny`) under the test's control. */
export interface FakePushMfa extends LoopbackServer {
  accessToken: string;
  confirmedAccessToken: string;
  challenges: Map<string, { status: "PENDING" | "VERIFIED" | "DENIED"; expiresAt: Date; redeemed: boolean }>;
  /** The id of the challenge created last. */
  lastChallengeId(): string;
  /** Polls (`GET /api/user/mfa/challenges/{id}`) received so far. */
  polls(): number;
  /** Answer the next polls this way: a 500, a reset connection, or no answer at all. */
  failPolls(failure: "500" | "reset" | "hang" | undefined): void;
  /** Called on every poll, before it is answered (e.g. to approve after the second poll). */
  onPoll: ((id: string, poll: number) => void) | undefined;
}

export async function startFakePushMfa(options: FakePushMfaOptions = {}): Promise<FakePushMfa> {
  const { challengeTtl = 10_000, expired = "pending" } = options;
  const accessToken = fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_900_000_000 });
  const confirmedAccessToken = fakeJwt({ sub: "user-1", exp: 1_900_000_500, cnf: { kid: "device-1" } });
  const challenges: FakePushMfa["challenges"] = new Map();
  let last = "";
  let polls = 0;
  let failure: "500" | "reset" | "hang" | undefined;

  const view = (id: string) => {
    const challenge = challenges.get(id);
    return challenge && { id, status: challenge.status, expiresAt: challenge.expiresAt.toISOString() };
  };

  const server = await startLoopbackServer((request, response, raw) => {
    const auth = request.headers.authorization;
    if (auth !== `Bearer ${accessToken}` && auth !== `Bearer ${confirmedAccessToken}`) {
      return sendJson(response, 401, { message: "Unauthorized", status: 401 });
    }
    const [path] = request.url.split("?");
    const match = /^\/api\/user\/mfa\/challenges(?:\/([^/]+))?(\/token)?$/.exec(path ?? "");
    if (match === null) return sendJson(response, 404, { message: "Not found", status: 404 });
    const [, id, token] = match;
    if (id === undefined && request.method === "POST") {
      last = randomUUID();
      challenges.set(last, {
        status: "PENDING",
        expiresAt: new Date(Date.now() + challengeTtl),
        redeemed: false,
      });
      return sendJson(response, 201, view(last));
    }
    if (id === undefined && request.method === "GET") {
      const pending = [...challenges.keys()].filter((key) => challenges.get(key)?.status === "PENDING");
      return sendJson(response, 200, pending.map(view));
    }
    const challenge = challenges.get(id ?? "");
    if (challenge === undefined)
      return sendJson(response, 404, { message: "Challenge not found", status: 404 });
    if (request.method === "GET" && token === undefined) {
      polls++;
      fake.onPoll?.(id ?? "", polls);
      if (failure === "500") return sendJson(response, 500, { message: "Internal error", status: 500 });
      if (failure === "reset") return void raw.socket.resetAndDestroy();
      if (failure === "hang") return;
      if (
        expired === "gone" &&
        challenge.status === "PENDING" &&
        challenge.expiresAt.getTime() <= Date.now()
      ) {
        return sendJson(response, 410, { message: "Challenge expired", status: 410 });
      }
      return sendJson(response, 200, view(id ?? ""));
    }
    if (request.method === "POST" && token !== undefined) {
      if (challenge.status !== "VERIFIED" || challenge.redeemed) {
        return sendJson(response, 400, { message: "Challenge not verified", status: 400 });
      }
      challenge.redeemed = true;
      return sendJson(response, 200, { token: confirmedAccessToken, refresh_token: "rt-confirmed" });
    }
    if (request.method === "PATCH" && token === undefined) {
      if (auth !== `Bearer ${confirmedAccessToken}`) {
        return sendJson(response, 403, { message: "A confirmed token is required", status: 403 });
      }
      const { status } = JSON.parse(request.body) as { status: "VERIFIED" | "DENIED" };
      challenge.status = status;
      return void response.writeHead(204).end();
    }
    return sendJson(response, 405, { message: "Method not allowed", status: 405 });
  });

  const fake: FakePushMfa = Object.assign(server, {
    accessToken,
    confirmedAccessToken,
    challenges,
    lastChallengeId: () => last,
    polls: () => polls,
    failPolls: (next: typeof failure) => {
      failure = next;
    },
    onPoll: undefined as FakePushMfa["onPoll"],
  });
  return fake;
}
