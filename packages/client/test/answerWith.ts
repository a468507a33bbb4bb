import type { ServerResponse } from "node:http";
import { Transport, type TransportRequest, type TransportResponse } from "../src/http/Transport";
import { startLoopbackServer } from "./loopbackServer";

/** Sends `request` over real HTTP to a loopback server that answers it with `answer`. */
export async function answerWith(
  answer: (response: ServerResponse) => void,
  request: TransportRequest = { method: "POST", path: "/api/oauth/token" },
): Promise<TransportResponse> {
  const server = await startLoopbackServer((_, response) => answer(response));
  try {
    return await new Transport({ baseUrl: server.url, timeout: 2_000 }).send(request);
  } finally {
    await server.close();
  }
}

/** An answer with a raw body. */
export function raw(status: number, body: string, contentType = "application/json") {
  return (response: ServerResponse) => {
    response.writeHead(status, { "content-type": contentType }).end(body);
  };
}
