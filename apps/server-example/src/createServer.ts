import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type Client, isKontistAuthError } from "@kontist-auth/client";
import { errorResponse } from "./errorResponse";

/** What the server needs of the SDK client (a real `Client`, or a stub in tests). */
export type ExampleClient = Pick<Client, "graphQL">;

interface Viewer {
  viewer: { id: string; email: string };
}
interface MainAccount {
  viewer: { mainAccount: { iban: string; balance: number } | null };
}

/**
 * A plain `node:http` server in front of the Kontist API. Every route calls the API through `client`,
 * whose token (shared with the other instances through its token store) is loaded and renewed for it.
 *
 * - `GET /healthz` → `{ ok: true }` (no API call)
 * - `GET /me` → `{ id, email }` of the logged-in Kontist user
 * - `GET /account` → `{ iban, balance }` of their main account; needs a confirmed token, else a 403
 *
 * Failures answer JSON `{ code, message }` (see `errorResponse`); neither answers nor logs hold a token.
 *
 * @example
 * createExampleServer({ client }).listen(3000);
 */
export function createExampleServer({ client }: { client: ExampleClient }): Server {
  const routes: Record<string, () => Promise<unknown>> = {
    "/healthz": async () => ({ ok: true }),
    "/me": async () => {
      const { viewer } = await client.graphQL.rawQuery<Viewer>("{ viewer { id email } }");
      return { id: viewer.id, email: viewer.email };
    },
    "/account": async () => {
      const { viewer } = await client.graphQL.rawQuery<MainAccount>(
        "{ viewer { mainAccount { iban balance } } }",
      );
      return viewer.mainAccount;
    },
  };

  return createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route === undefined) return send(response, 404, { code: "NOT_FOUND", message: `No route ${path}.` });
    if (request.method !== "GET") {
      response.setHeader("allow", "GET");
      return send(response, 405, { code: "METHOD_NOT_ALLOWED", message: "Only GET is supported." });
    }
    try {
      send(response, 200, await route());
    } catch (error) {
      const { status, body } = errorResponse(error);
      // SDK errors never contain a token, so their message is safe to log; other errors show their name.
      const detail = isKontistAuthError(error) ? error.message : error instanceof Error ? error.name : "?";
      console.error(`GET ${path} → ${status} ${body.code}: ${detail}`);
      send(response, status, body);
    }
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}
