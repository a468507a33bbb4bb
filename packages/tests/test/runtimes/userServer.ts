import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SandboxUserSeed } from "@kontist-auth/sandbox";
import type { Sandbox } from "../sandboxSupport";
import type { SeedFlowOptions } from "./app/seedFlow";

// The user of an app running in another runtime (Bun, Deno, a Worker, a page), played in Node over HTTP:
// they type their credentials, click the link of the binding request's e-mail and read the SMS. The
// clicks and the SMS go through the sandbox's test client, as the in-process tests do (`asUser`). Every
// answer allows any origin, so a page may ask too.
//
//   GET  /{name}/options                        → SeedFlowOptions (sandbox URL, credentials, device name)
//   POST /{name}/binding-requests/{id}/confirm  → 204 once confirmed (`sandbox.test.confirmBindingRequest`)
//   GET  /{name}/otp                            → { otp } (`sandbox.test.latestOtp(mobileNumber)`)

/** A seeded user the server plays, under `/{name}/`. */
export interface PlayedUser extends SandboxUserSeed {
  name: string;
}

/** What a user did for their app, for the test to check. */
export interface UserActions {
  /** The binding requests they confirmed, in order. */
  confirmed: string[];
  /** How often they read the OTP. */
  otpsRead: number;
}

/** The running user server. */
export interface UserServer {
  /** `http://127.0.0.1:<port>`; the app of user `name` gets `${url}/${name}`. */
  readonly url: string;
  /** What user `name` did so far. */
  actions(name: string): UserActions;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body?: unknown): void {
  const headers: Record<string, string> = { "access-control-allow-origin": "*" };
  if (body === undefined) {
    response.writeHead(status, headers).end();
  } else {
    headers["content-type"] = "application/json";
    response.writeHead(status, headers).end(JSON.stringify(body));
  }
}

/**
 * Starts the user server on loopback for `users` of `sandbox`.
 *
 * @throws rejects with the listen error.
 */
export async function startUserServer(sandbox: Sandbox, users: readonly PlayedUser[]): Promise<UserServer> {
  const byName = new Map(users.map((user) => [user.name, user]));
  const actions = new Map(users.map((user) => [user.name, { confirmed: [], otpsRead: 0 } as UserActions]));

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const [name = "", ...rest] = new URL(request.url ?? "/", "http://127.0.0.1").pathname.slice(1).split("/");
    const user = byName.get(name);
    const done = actions.get(name);
    const route = `${request.method} ${rest.length === 3 ? `${rest[0]}/:id/${rest[2]}` : rest.join("/")}`;
    if (user === undefined || done === undefined) return send(response, 404);
    if (route === "GET options") {
      const options: SeedFlowOptions = {
        sandboxUrl: sandbox.url,
        username: user.email,
        password: user.password,
        deviceName: `${name} device`,
      };
      return send(response, 200, options);
    }
    if (route === "POST binding-requests/:id/confirm") {
      const id = decodeURIComponent(rest[1] ?? "");
      await sandbox.test.confirmBindingRequest(id);
      done.confirmed.push(id);
      return send(response, 204);
    }
    if (route === "GET otp") {
      const otp = await sandbox.test.latestOtp(user.mobileNumber);
      done.otpsRead += 1;
      return send(response, 200, { otp });
    }
    return send(response, 404);
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      // The test client's errors carry no secret; the app sees the status, the test log the reason.
      console.error("user server:", error);
      if (!response.headersSent) send(response, 502);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    actions: (name) => {
      const done = actions.get(name);
      if (done === undefined) throw new Error(`no user ${name}`);
      return { confirmed: [...done.confirmed], otpsRead: done.otpsRead };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
