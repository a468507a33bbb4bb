import type { SigningKey } from "../jwt/createSigningKey";
import type { SandboxConfig } from "../options/SandboxOptions";
import type { SandboxStore } from "../state/SandboxStore";
import type { NewTransactionFeed } from "../transactions/newTransactionFeed";

/**
 * What every handler works with: the resolved options, the one store, the signing key, the clock and the
 * live `newTransaction` subscriptions.
 */
export interface SandboxRuntime {
  readonly config: SandboxConfig;
  readonly store: SandboxStore;
  readonly signingKey: SigningKey;
  /** Where booked transactions go to the users' `newTransaction` subscriptions. */
  readonly newTransactions: NewTransactionFeed;
  /** The base URL, the `iss` of access tokens; known once the server listens. */
  issuer(): string;
  /** Epoch milliseconds. */
  now(): number;
}
