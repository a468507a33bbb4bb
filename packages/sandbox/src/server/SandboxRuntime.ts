import type { SigningKey } from "../jwt/createSigningKey";
import type { SandboxConfig } from "../options/SandboxOptions";
import type { SandboxStore } from "../state/SandboxStore";

/** What every handler works with: the resolved options, the one store, the signing key and the clock. */
export interface SandboxRuntime {
  readonly config: SandboxConfig;
  readonly store: SandboxStore;
  readonly signingKey: SigningKey;
  /** The base URL, the `iss` of access tokens; known once the server listens. */
  issuer(): string;
  /** Epoch milliseconds. */
  now(): number;
}
