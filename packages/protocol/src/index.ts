// Sandbox-only values (test-support paths and schemas) are in `@kontist-auth/protocol/sandbox`.
export * from "./apiError";
export * from "./devices";
export * from "./errors";
export * from "./fields";
export * from "./graphql";
export * from "./loopback";
export * from "./mfa";
export * from "./oauth";
export * from "./parse";
export * from "./paths";
export * from "./sleep";
