import * as z from "zod/mini";
import { nonEmptyString } from "../fields";

/**
 * What an injected fault does to a request: `error` answers `{ "message", "status" }` with `status`
 * (default 500), `delay` waits `delayMs` and then answers normally, `reset` destroys the TCP connection
 * without any answer.
 */
export const sandboxFaultKinds = ["error", "delay", "reset"] as const;
export type SandboxFaultKind = (typeof sandboxFaultKinds)[number];

/** The longest delay a fault may ask for, in milliseconds. */
export const maxSandboxFaultDelayMs = 60_000;

/**
 * Body of `POST /sandbox/faults`: the next `times` requests to `route` (a key of `GET /sandbox/stats`,
 * `METHOD /path/{pattern}`) fail as `fault` says. `delayMs` is how long a `delay` waits (default 1000);
 * for `error` and `reset` it is a wait before failing (default 0). `status` is the answer of an `error`.
 */
export const sandboxFaultRequestSchema = z.object({
  route: z.string().check(z.regex(/^(GET|POST|PUT|PATCH|DELETE) \/[^\s]*$/)),
  fault: z.enum(sandboxFaultKinds),
  times: z.optional(z.int().check(z.minimum(1), z.maximum(1_000_000))),
  delayMs: z.optional(z.int().check(z.minimum(0), z.maximum(maxSandboxFaultDelayMs))),
  status: z.optional(z.int().check(z.minimum(400), z.maximum(599))),
});
export type SandboxFaultRequest = z.infer<typeof sandboxFaultRequestSchema>;

/** An injected fault as the sandbox keeps it; `times` is how many requests it will still fail. */
export const sandboxFaultSchema = z.object({
  id: nonEmptyString,
  route: z.string(),
  fault: z.enum(sandboxFaultKinds),
  times: z.int(),
  delayMs: z.int(),
  status: z.optional(z.int()),
});
export type SandboxFault = z.infer<typeof sandboxFaultSchema>;

/** Answer of `GET /sandbox/faults`: the faults still armed, in the order they apply. */
export const sandboxFaultListSchema = z.array(sandboxFaultSchema);
