/**
 * What only the sandbox and tests against it need. None of it exists at Kontist.
 *
 * @module @kontist-auth/protocol/sandbox
 */
export * from "./faults";
export * from "./sandbox";
export * from "./sandboxPaths";
export * from "./transactions";
