import type { TokenStore, TokenStoreLockOptions } from "./TokenStore";

/** The default `ttlMs` of {@link TokenStore.lock}: 30 s. */
export const defaultLockTtlMs = 30_000;

/** The default `timeoutMs` of {@link TokenStore.lock}: 40 s, longer than the TTL so waiters outlast a dead holder. */
export const defaultLockTimeoutMs = 40_000;

/** The longest delay timers support (2^31 − 1 ms, about 24.8 days). */
const maxDelay = 2_147_483_647;

/**
 * Fills in the defaults of {@link TokenStoreLockOptions} and checks them: the one place every store's
 * `lock()` takes its TTL and timeout from, so all adapters agree.
 *
 * @throws {TypeError} when `ttlMs` is not a positive number of milliseconds or `timeoutMs` is negative
 *   (both at most 2^31 − 1).
 *
 * @example
 * resolveLockOptions(); // { ttlMs: 30_000, timeoutMs: 40_000 }
 * const { ttlMs, timeoutMs } = resolveLockOptions({ ttlMs: 10_000 }); // { ttlMs: 10_000, timeoutMs: 40_000 }
 */
export function resolveLockOptions(options: TokenStoreLockOptions = {}): Required<TokenStoreLockOptions> {
  const { ttlMs = defaultLockTtlMs, timeoutMs = defaultLockTimeoutMs } = options ?? {};
  if (typeof ttlMs !== "number" || !(ttlMs > 0) || ttlMs > maxDelay) {
    throw new TypeError(`lock: ttlMs must be a positive number of milliseconds, at most ${maxDelay}.`);
  }
  if (typeof timeoutMs !== "number" || !(timeoutMs >= 0) || timeoutMs > maxDelay) {
    throw new TypeError(
      `lock: timeoutMs must be a non-negative number of milliseconds, at most ${maxDelay}.`,
    );
  }
  return { ttlMs, timeoutMs };
}
