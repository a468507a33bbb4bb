/**
 * The file store, for Node: kept apart so browser bundles of the main entry never see a `node:` import.
 *
 * @module @kontist-auth/token-store/file
 */
export { type FileStoreOptions, type FileTokenStore, fileStore } from "./fileStore";
