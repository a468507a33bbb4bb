// The conformance kit: Node-only (node:crypto) and vitest-only, so it is its own entry point and the main
// entry never imports it.
export { describeErrorClasses, type ErrorClassUnderTest } from "./describeErrorClasses";
export { describeSignerConformance } from "./describeSignerConformance";
export { nodePublicKey } from "./nodePublicKey";
export type { SignerConformanceOptions, SignerUnderTest } from "./SignerUnderTest";
