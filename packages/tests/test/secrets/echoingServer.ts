import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { paths } from "@kontist-auth/protocol";
import { demoUser } from "../sandboxSupport";
import type { FlowRun } from "./FlowRun";

// A careless server on loopback, for the error paths the sandbox never takes: it echoes back what the
// client sent (password, client secret, refresh token, bearer token, the raw form) in its error messages,
// and answers token requests with broken bodies that hold freshly issued tokens (wrong types, missing
// fields, truncated or non-JSON). The client's errors must carry none of it. Which answer a password
// grant gets is chosen by its username.

const issued = () => randomBytes(32).toString("base64url");

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}

type Answer = { status: number; type?: string; body: string };

function tokenAnswer(run: FlowRun, form: URLSearchParams, raw: string, authorization: string): Answer {
  const accessToken = issued();
  const refreshToken = issued();
  run.ledger.add("access token", accessToken);
  run.ledger.add("refresh token", refreshToken);
  const tokens = { access_token: accessToken, refresh_token: refreshToken };
  const echoed = `password ${form.get("password")}, secret ${form.get("client_secret")}, refresh token ${form.get("refresh_token")}, ${authorization}, form ${raw}`;
  if (form.get("grant_type") === "refresh_token") {
    return {
      status: 400,
      body: JSON.stringify({ error: "invalid_grant", error_description: `Unknown: ${echoed}` }),
    };
  }
  const json = (body: unknown, status = 200): Answer => ({ status, body: JSON.stringify(body) });
  switch (form.get("username")) {
    case "ok":
      return json({ ...tokens, token_type: "Bearer", expires_in: 3600 });
    case "wrong type":
      return json({ ...tokens, token_type: "Bearer", expires_in: "soon" });
    case "missing field":
      return json(tokens);
    case "expiry out of range":
      return json({ ...tokens, token_type: "Bearer", expires_in: 1e12 });
    case "truncated":
      return { status: 200, body: JSON.stringify({ ...tokens, token_type: "Bearer" }).slice(0, 100) };
    case "not JSON":
      return { status: 200, type: "text/plain", body: `${accessToken} ${refreshToken}` };
    case "echo in an HTML page":
      return { status: 500, type: "text/html", body: `<pre>${echoed}</pre>` };
    default:
      return json({ error: "invalid_grant", error_description: `Wrong: ${echoed}` }, 400);
  }
}

/** Starts the server; `close()` stops it. */
async function startEchoingServer(run: FlowRun) {
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const raw = await readBody(request);
    const authorization = request.headers.authorization ?? "";
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    let answer: Answer;
    if (path === paths.token) {
      answer = tokenAnswer(run, new URLSearchParams(raw), raw, authorization);
    } else if (path === paths.graphQL) {
      const message = `Token ${authorization} refused`;
      answer = {
        status: 200,
        body: JSON.stringify({ errors: [{ message, extensions: { authorization } }] }),
      };
    } else {
      answer = { status: 401, body: JSON.stringify({ message: `Not with ${authorization}`, status: 401 }) };
    }
    response.writeHead(answer.status, { "content-type": answer.type ?? "application/json" });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Every careless answer, each through the client call that meets it; the errors are shown every way. */
export async function echoingServerFlows(run: FlowRun): Promise<void> {
  const server = await startEchoingServer(run);
  try {
    const at = { baseUrl: server.url, retry: false as const };
    const password = `echoed pässword "${crypto.randomUUID()}" +&=/`;
    run.ledger.add("password", password);
    for (const username of [
      "wrong type",
      "missing field",
      "expiry out of range",
      "truncated",
      "not JSON",
      "echo in an HTML page",
      "echo in an OAuth2 error",
    ]) {
      await run.failing(username, () =>
        run.client(at).auth.tokenManager.fetchTokenFromCredentials({ username, password }),
      );
    }
    await run.failing("echo, Basic authentication", () =>
      run
        .client({ ...at, clientAuthentication: "basic" })
        .auth.tokenManager.fetchTokenFromCredentials({ username: demoUser.username, password }),
    );
    const client = run.client(at);
    run.token(await client.auth.tokenManager.fetchTokenFromCredentials({ username: "ok", password }));
    await run.failing("GraphQL echoing the token", () => client.graphQL.rawQuery("{ viewer { id } }"));
    await run.failing("REST 401 echoing the token, then a refresh echoing it", () =>
      client.request({ method: "GET", path: paths.mfaChallenges }),
    );
    await run.failing("refresh echoing the refresh token", () => client.auth.tokenManager.refresh());
  } finally {
    await server.close();
  }
}
