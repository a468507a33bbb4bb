import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Context } from "hono";
import { apiErrorResponse } from "../http/errorResponse";
import type { SandboxEnv } from "../http/SandboxEnv";
import type { FaultRecord } from "../state/SandboxStore";

/** Waits `ms`, or less if the client's connection closes first; never keeps the process alive. */
function wait(c: Context<SandboxEnv>, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  const socket = c.env?.incoming?.socket;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      socket?.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    socket?.once("close", done);
  });
}

/**
 * Injects `fault` into the request: waits its `delayMs`, then answers `{ "message", "status" }` with its
 * status (`error`), destroys the TCP connection without an answer (`reset`), or lets the request go on
 * (`delay`).
 *
 * @returns the response to send instead of the route's, or `undefined` to run the route as usual.
 */
export async function applyFault(c: Context<SandboxEnv>, fault: FaultRecord): Promise<Response | undefined> {
  c.set("fault", fault.fault);
  await wait(c, fault.delayMs);
  const socket = c.env?.incoming?.socket;
  if (socket?.destroyed === true) return RESPONSE_ALREADY_SENT;
  switch (fault.fault) {
    case "delay":
      return undefined;
    case "error":
      return apiErrorResponse(c, fault.status, "Injected fault (POST /sandbox/faults).");
    case "reset":
      if (socket === undefined) {
        // Without a Node socket (app.request() in a unit test) a reset cannot be simulated faithfully.
        throw new Error("A reset fault needs a Node HTTP server.");
      }
      socket.destroy();
      return RESPONSE_ALREADY_SENT;
  }
}
