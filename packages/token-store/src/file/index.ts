// The Node-only entry `@kontist-auth/token-store/file`: kept apart so browser bundles of the main entry
// never see a `node:` import.
export { type FileStoreOptions, type FileTokenStore, fileStore } from "./fileStore";
