/**
 * The `TokenStore` interface with the memory and Web Storage stores. Browser-safe: no `node:` import is
 * reachable from here (fileStore lives in `@kontist-auth/token-store/file`). What store authors need
 * (checks, lock options, the stored-token codec) is in `@kontist-auth/token-store/backend`.
 *
 * @module @kontist-auth/token-store
 */
export { TokenStoreError, type TokenStoreErrorCode } from "./errors";
export { memoryStore } from "./memory/memoryStore";
export type {
  LockingTokenStore,
  StoredToken,
  TokenStore,
  TokenStoreLock,
  TokenStoreLockOptions,
} from "./store/TokenStore";
export {
  defaultWebStoragePrefix,
  type StorageEventSource,
  type WebLockManager,
  type WebStorage,
  type WebStorageStoreOptions,
  webStorageStore,
} from "./webStorage/webStorageStore";
