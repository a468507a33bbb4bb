import { sleep } from "@kontist-auth/protocol";
import { afterEach } from "vitest";
import {
  type Handler,
  type LoopbackServer,
  type RecordedRequest,
  sendJson,
  startLoopbackServer,
} from "./loopbackServer";

/** The form fields of a recorded request's body, e.g. `{ grant_type: "password", username: … }`. */
export function formFields(request: RecordedRequest | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request?.body ?? ""));
}

/** The `Authorization` header of a recorded request, e.g. `Basic …` for HTTP Basic client authentication. */
export function authorizationHeader(request: RecordedRequest | undefined): string | undefined {
  return request?.headers.authorization;
}

/** A loopback token endpoint that answers every request with `body` (after `delay` ms). */
export async function startTokenEndpoint(body: Record<string, unknown>, delay = 0): Promise<LoopbackServer> {
  return startLoopbackServer(async (_, response) => {
    await sleep(delay);
    sendJson(response, 200, body);
  });
}

/**
 * A test file's loopback servers, each closed after the test that started it (registers vitest's
 * `afterEach`): `serve(handler)` for a scripted server, `tokenEndpoint(body, delay)` for a fixed answer.
 */
export function serversClosedAfterEach() {
  const open: LoopbackServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  const track = (server: LoopbackServer) => {
    open.push(server);
    return server;
  };
  return {
    serve: async (handler: Handler) => track(await startLoopbackServer(handler)),
    tokenEndpoint: async (body: Record<string, unknown>, delay = 0) =>
      track(await startTokenEndpoint(body, delay)),
  };
}
