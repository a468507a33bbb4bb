/**
 * Zod schemas, types and paths of every request and response of Kontist's auth API, and the error base
 * class. Sandbox-only values (test-support paths and schemas) are in `@kontist-auth/protocol/sandbox`.
 *
 * @module @kontist-auth/protocol
 */
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
