import { canRenewSilently, type SilentRenewalConfig } from "./canRenewSilently";
import type { UpdateLockOptions } from "./TokenPersistence";

/** What the store lock's timing depends on. */
export interface RenewalLockConfig extends Pick<SilentRenewalConfig, "verifier" | "redirectUri"> {
  /** Milliseconds a token request, or one token store call, may take. */
  timeout: number;
  /** Milliseconds a silent renewal may take. */
  silentRenewalTimeout: number;
}

/**
 * The lock every store write and renewal takes. Its TTL covers all the work done under it (finding 18):
 * the store read, the token request (or silent renewal), and the store write, each bounded by `timeout`,
 * so a holder that is merely slow never loses its lock mid-renewal; a dead holder blocks the others that
 * long at most. Waited for that long plus one renewal.
 *
 * @example
 * renewalLock({ timeout: 10_000, silentRenewalTimeout: 10_000 }); // { ttlMs: 30_000, timeoutMs: 40_000 }
 */
export function renewalLock(config: RenewalLockConfig): UpdateLockOptions {
  const renewalMs = config.timeout + (canRenewSilently(config) ? config.silentRenewalTimeout : 0);
  const storeIoMs = 2 * config.timeout;
  const ttlMs = renewalMs + storeIoMs;
  return { ttlMs, timeoutMs: ttlMs + renewalMs };
}
