import { randomUUID } from "node:crypto";
import { type SandboxFault, sandboxFaultRequestSchema, sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { ApiError } from "../http/ApiError";
import { readJsonBody } from "../http/readJsonBody";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { FaultRecord } from "../state/SandboxStore";

const faultView = ({ id, route, fault, times, delayMs, status }: FaultRecord): SandboxFault => ({
  id,
  route,
  fault,
  times,
  delayMs,
  ...(fault === "error" ? { status } : {}),
});

/**
 * The fault-injection endpoints, for testing how a client copes with a failing server:
 *
 * - `POST /sandbox/faults` `{ route, fault, times?, delayMs?, status? }` arms a fault for the next `times`
 *   (default 1) requests to `route`, a key of `/sandbox/stats` such as `"POST /api/oauth/token"`:
 *   `error` answers `{ "message", "status" }` with `status` (default 500); `delay` waits `delayMs`
 *   (default 1000) and then answers normally; `reset` destroys the TCP connection without an answer.
 *   `delayMs` also delays an `error` or a `reset` (default 0). Faulted requests still count in
 *   `/sandbox/stats`. Faults for the same route apply one after another, in the order they were armed.
 *   Answers 201 with the fault; 400 for a bad body or a route that does not exist.
 * - `GET /sandbox/faults`: the faults still armed, `[{ id, route, fault, times, delayMs, status? }]`,
 *   `times` being the requests each will still fail.
 * - `DELETE /sandbox/faults`: disarms them all (as `POST /sandbox/reset` does). Answers 204.
 *
 * @param faultableRoutes - the keys of the routes a fault may target (the counted ones).
 */
export function faultRoutes(runtime: SandboxRuntime, faultableRoutes: readonly string[]): SandboxRoute[] {
  return [
    {
      method: "POST",
      path: sandboxPaths.faults,
      counted: false,
      handler: async (c) => {
        const request = await readJsonBody(c, sandboxFaultRequestSchema);
        if (!faultableRoutes.includes(request.route)) {
          throw new ApiError(
            400,
            'Invalid body: field `route` must name a route as /sandbox/stats does, e.g. "POST /api/oauth/token".',
          );
        }
        const fault: FaultRecord = {
          id: randomUUID(),
          route: request.route,
          fault: request.fault,
          times: request.times ?? 1,
          delayMs: request.delayMs ?? (request.fault === "delay" ? 1000 : 0),
          status: request.status ?? 500,
        };
        runtime.store.faults.push(fault);
        return c.json(faultView(fault), 201);
      },
    },
    {
      method: "GET",
      path: sandboxPaths.faults,
      counted: false,
      handler: (c) => c.json(runtime.store.faults.map(faultView), 200),
    },
    {
      method: "DELETE",
      path: sandboxPaths.faults,
      counted: false,
      handler: (c) => {
        runtime.store.faults.length = 0;
        return c.body(null, 204);
      },
    },
  ];
}
