// `@kontist-auth/protocol/sandbox`: what only the sandbox and tests against it need. None of it exists at Kontist.
export * from "./faults";
export * from "./sandbox";
export * from "./sandboxPaths";
export * from "./transactions";
