/**
 * The conformance kit every signer backend runs. Node only (node:crypto) and vitest only, so ESM only:
 * import it from an ESM test file.
 *
 * @module @kontist-auth/crypto/testing
 */
export { describeErrorClasses, type ErrorClassUnderTest } from "./describeErrorClasses";
export { describeSignerConformance } from "./describeSignerConformance";
export { nodePublicKey } from "./nodePublicKey";
export type { SignerConformanceOptions, SignerUnderTest } from "./SignerUnderTest";
