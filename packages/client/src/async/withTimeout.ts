import { TimeoutError } from "../errors/TimeoutError";
import { untilAborted } from "./untilAborted";

/**
 * Settles like `promise`, or rejects with a {@link TimeoutError} for `source` once `ms` milliseconds
 * have passed. The promise itself is not stopped (a token store's call cannot be); only this caller
 * stops waiting, so one that hangs cannot hold up everything behind it. The timer is cleared either way.
 *
 * @throws {TimeoutError} when `ms` pass first; else what `promise` rejects with.
 * @example
 * import { memoryStore } from "@kontist-auth/token-store";
 * const stored = await withTimeout(memoryStore().get("kontist-auth:my-client"), 10_000, "reading the token store");
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, source: string): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutError(source, ms)), ms);
  return untilAborted(promise, controller.signal).finally(() => clearTimeout(timer));
}
