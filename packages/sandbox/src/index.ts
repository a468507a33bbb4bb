export { SandboxTestClientError, type SandboxTestClientErrorCode } from "./errors";
export type { SandboxPublicJwk } from "./jwt/createSigningKey";
export { sandboxDefaults } from "./options/resolveSandboxOptions";
export type { SandboxOptions, SandboxRateLimit } from "./options/SandboxOptions";
export { defaultSeeds, type SandboxClientSeed, type SandboxUserSeed } from "./seeds/defaultSeeds";
export { type RunningSandbox, startSandbox } from "./server/startSandbox";
export type { SandboxStateSize } from "./state/measureState";
export { createSandboxTestClient, type SandboxTestClientOptions } from "./testClient/createSandboxTestClient";
export type { SandboxTestClient } from "./testClient/SandboxTestClient";
