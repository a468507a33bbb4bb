// `@kontist-auth/token-store/testing`: the contract suite every TokenStore runs (imports vitest).
export {
  describeTokenStoreContract,
  sampleStoredToken,
  type TokenStoreContractOptions,
  type TokenStoreUnderTest,
} from "./describeTokenStoreContract";
