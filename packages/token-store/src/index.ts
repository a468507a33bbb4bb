// The browser-safe entry: no `node:` import is reachable from here (fileStore lives in `./file`). What
// store authors need (checks, lock options, the stored-token codec) lives in `./backend`.
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
