import { createSigningKey } from "../jwt/createSigningKey";
import type { SandboxConfig } from "../options/SandboxOptions";
import { createSandboxStore } from "../state/SandboxStore";
import { createNewTransactionFeed } from "../transactions/newTransactionFeed";
import type { SandboxRuntime } from "./SandboxRuntime";

/**
 * The runtime of one sandbox: its seeded store, a fresh ES256 signing key, the `newTransaction` feed and
 * the wall clock. `issuer` answers the base URL, known only once the server listens.
 *
 * @example
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxApp } from "./createSandboxApp";
 *
 * const runtime = createSandboxRuntime(resolveSandboxOptions({ otpTtl: 1 }), () => "http://127.0.0.1:4010");
 * const app = createSandboxApp(runtime);
 */
export function createSandboxRuntime(config: SandboxConfig, issuer: () => string = () => ""): SandboxRuntime {
  return {
    config,
    store: createSandboxStore(config),
    signingKey: createSigningKey(),
    newTransactions: createNewTransactionFeed(),
    issuer,
    now: () => Date.now(),
  };
}
