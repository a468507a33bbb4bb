// `@kontist-auth/token-store/testing`: the contract suite every TokenStore runs (imports vitest).
export {
  describeTokenStoreContract,
  type TokenStoreContractOptions,
  type TokenStoreUnderTest,
} from "./describeTokenStoreContract";
export { sampleStoredToken } from "./sampleStoredToken";
