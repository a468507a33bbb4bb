import { graphQLErrorExtensions } from "@kontist-auth/protocol";
import { fakeJwt } from "./fakeJwt";
import {
  type LoopbackServer,
  type RecordedRequest,
  sendJson,
  sleep,
  startLoopbackServer,
} from "./loopbackServer";

/** How the fake's token endpoint fails refreshes, when it does. */
export type RefreshFailure = "500" | "hang" | "reset" | "invalid_grant";

/** Options of {@link startFakeOAuthApi}. */
export interface FakeOAuthApiOptions {
  /** Issue a new refresh token on each refresh and refuse the old one (reuse detection); default false. */
  rotateRefreshTokens?: boolean;
  /** `expires_in` of issued tokens, in seconds; default 3600. */
  expiresIn?: number;
  /** Milliseconds the token endpoint takes to answer a refresh; default 20. */
  refreshDelay?: number;
  /** Milliseconds before a 401 is answered (drawn per request, e.g. at random); default 0. */
  unauthorizedDelay?: () => number;
  /**
   * How `POST /api/graphql` refuses an access token: HTTP 401 (default), or a 200 whose GraphQL error
   * carries `extensions: { status: 401, type }`, as Kontist may answer an expired token.
   */
  graphQLUnauthorized?: "http" | "extensions";
}

/**
 * A token endpoint (refresh grant) and a few protected endpoints (`POST /api/graphql`,
 * `GET /api/user/mfa/challenges`) that accept only the access tokens it issued and has not revoked.
 * `POST /api/graphql` without `Authorization` answers the public data `{ public: true }`.
 */
export interface FakeOAuthApi extends LoopbackServer {
  /** Requests per endpoint, e.g. `{ "POST /api/oauth/token": 1 }`. */
  count(endpoint: string): number;
  /** Issues a fresh pair, valid right away (what a login would give). */
  login(): { accessToken: string; refreshToken: string };
  /** An access token the client thinks has expired (its `exp` has passed); the fake refuses it too. */
  expiredAccessToken: string;
  /** Revokes every access token issued so far (the API answers 401 to them from now on). */
  revokeAccessTokens(): void;
  /** Makes refreshes fail in this way from now on; `undefined` makes them succeed again. */
  failRefreshes(failure: RefreshFailure | undefined): void;
  /** Refresh tokens the fake refused (reused after rotation, or unknown). */
  refusedRefreshTokens: string[];
  /** Answer `POST /api/graphql` with this body instead of the default data. */
  graphQLAnswer: { status: number; body: unknown } | undefined;
}

let serial = 0;

export async function startFakeOAuthApi(options: FakeOAuthApiOptions = {}): Promise<FakeOAuthApi> {
  const {
    rotateRefreshTokens = false,
    expiresIn = 3600,
    refreshDelay = 20,
    unauthorizedDelay,
    graphQLUnauthorized = "http",
  } = options;
  const counts = new Map<string, number>();
  const accessTokens = new Set<string>();
  const refreshTokens = new Set<string>();
  const refusedRefreshTokens: string[] = [];
  let failure: RefreshFailure | undefined;

  const issueAccessToken = () => {
    const token = fakeJwt({
      sub: "user-1",
      scope: "users offline",
      exp: Math.floor(Date.now() / 1000) + expiresIn,
      jti: `at-${++serial}`,
    });
    accessTokens.add(token);
    return token;
  };
  const issueRefreshToken = () => {
    const token = `rt-${++serial}`;
    refreshTokens.add(token);
    return token;
  };

  const bearer = (request: RecordedRequest) => {
    const header = request.headers.authorization ?? "";
    return header.startsWith("Bearer ") ? header.slice(7) : "";
  };

  const server = await startLoopbackServer(async (request, response, raw) => {
    const endpoint = `${request.method} ${request.url}`;
    counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
    if (endpoint === "POST /api/oauth/token") {
      const form = new URLSearchParams(request.body);
      await sleep(refreshDelay);
      if (failure === "reset") return void raw.socket.resetAndDestroy();
      if (failure === "hang") return;
      if (failure === "500") return sendJson(response, 500, { message: "Internal error", status: 500 });
      const used = form.get("refresh_token") ?? "";
      if (
        failure === "invalid_grant" ||
        form.get("grant_type") !== "refresh_token" ||
        !refreshTokens.has(used)
      ) {
        refusedRefreshTokens.push(used);
        return sendJson(response, 400, {
          error: "invalid_grant",
          error_description: "Unknown refresh token",
        });
      }
      let refreshToken: string | undefined;
      if (rotateRefreshTokens) {
        refreshTokens.delete(used);
        refreshToken = issueRefreshToken();
      }
      return sendJson(response, 200, {
        access_token: issueAccessToken(),
        token_type: "Bearer",
        expires_in: expiresIn,
        ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      });
    }
    if (endpoint === "POST /api/graphql" && request.headers.authorization === undefined) {
      return sendJson(response, 200, { data: { public: true } });
    }
    if (!accessTokens.has(bearer(request))) {
      const delay = unauthorizedDelay?.() ?? 0;
      if (delay > 0) await sleep(delay);
      if (endpoint === "POST /api/graphql" && graphQLUnauthorized === "extensions") {
        return sendJson(response, 200, {
          data: null,
          errors: [{ message: "Unauthorized", extensions: graphQLErrorExtensions(401) }],
        });
      }
      return sendJson(response, 401, { message: "Unauthorized", status: 401 });
    }
    if (endpoint === "POST /api/graphql") {
      if (fake.graphQLAnswer !== undefined) {
        return sendJson(response, fake.graphQLAnswer.status, fake.graphQLAnswer.body);
      }
      return sendJson(response, 200, { data: { viewer: { id: "user-1", email: "demo@example.com" } } });
    }
    if (endpoint === "GET /api/user/mfa/challenges") {
      return sendJson(response, 200, [
        { id: "challenge-1", status: "PENDING", expiresAt: "2026-01-01T00:05:00.000+00:00" },
      ]);
    }
    return sendJson(response, 404, { message: "Not found", status: 404 });
  });

  const fake: FakeOAuthApi = Object.assign(server, {
    count: (endpoint: string) => counts.get(endpoint) ?? 0,
    login: () => ({ accessToken: issueAccessToken(), refreshToken: issueRefreshToken() }),
    expiredAccessToken: fakeJwt({ sub: "user-1", scope: "users offline", exp: 1_600_000_000 }),
    revokeAccessTokens: () => accessTokens.clear(),
    failRefreshes: (next: RefreshFailure | undefined) => {
      failure = next;
    },
    refusedRefreshTokens,
    graphQLAnswer: undefined as FakeOAuthApi["graphQLAnswer"],
  });
  return fake;
}
