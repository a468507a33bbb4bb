/** What {@link linkedAbortController} returns. */
export interface LinkedAbortController {
  /** Aborts when the caller's signal does, or when the owner aborts it itself (a cancel, a timeout). */
  readonly controller: AbortController;
  /** Removes the listener from the caller's signal; call it once the work has settled. */
  unlink(): void;
}

/**
 * An `AbortController` of one's own that also aborts when the caller's `signal` does, with
 * `reasonFor(signal.reason)` as its reason (e.g. a typed "cancelled" error whose cause is the caller's
 * reason). Owning the controller lets the owner abort the same work for other reasons too (a timeout, a
 * cancel method); `unlink()` leaves no listener on the caller's signal.
 *
 * @example
 * const caller = new AbortController();
 * const { controller, unlink } = linkedAbortController(caller.signal, (reason) => new Error("cancelled", { cause: reason }));
 * try {
 *   await fetch("https://api.kontist.com/api/graphql", { signal: controller.signal });
 * } finally {
 *   unlink();
 * }
 */
export function linkedAbortController(
  signal: AbortSignal | undefined,
  reasonFor: (reason: unknown) => unknown,
): LinkedAbortController {
  const controller = new AbortController();
  const onAbort = () => controller.abort(reasonFor(signal?.reason));
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  return { controller, unlink: () => signal?.removeEventListener("abort", onAbort) };
}
