import type { P256Signer } from "../signer/P256Signer";

/** What a factory given to {@link describeSignerConformance} resolves to: a signer, and how to delete its key. */
export interface SignerUnderTest {
  /** The signer to check, over a key of its own (not shared with another `create()` call). */
  signer: P256Signer;
  /**
   * Deletes the persistent key, if the backend has one; afterwards `sign()` and `getPublicKey()` must
   * reject with a `KontistAuthError` (any `code` the backend chooses). Leave it out for an in-memory signer.
   */
  deleteKey?: () => Promise<void>;
}

/** Options of {@link describeSignerConformance}. */
export interface SignerConformanceOptions {
  /** How many `sign()` calls the concurrency check starts at once. Default 100. */
  concurrency?: number;
  /** The timeout of each test in milliseconds. Default: vitest's `testTimeout`. */
  timeout?: number;
}
