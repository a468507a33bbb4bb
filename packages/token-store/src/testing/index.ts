/**
 * The contract suite every TokenStore runs. It imports vitest, so ESM only: import it from an ESM test
 * file.
 *
 * @module @kontist-auth/token-store/testing
 */
export {
  describeTokenStoreContract,
  type TokenStoreContractOptions,
  type TokenStoreUnderTest,
} from "./describeTokenStoreContract";
export { sampleStoredToken } from "./sampleStoredToken";
