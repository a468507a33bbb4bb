// The browser-safe entry: no `node:` import is reachable from here (fileStore lives in `./file`).
export {
  isTokenStoreError,
  lockLostError,
  lockTimeoutError,
  TokenStoreError,
  type TokenStoreErrorCode,
} from "./errors/TokenStoreError";
export { memoryStore } from "./memory/memoryStore";
export { defaultLockTimeoutMs, defaultLockTtlMs, resolveLockOptions } from "./store/resolveLockOptions";
export { checkedStoredToken, checkKey, isStoredToken, normalizeStoredToken } from "./store/storedToken";
export type {
  LockingTokenStore,
  StoredToken,
  TokenStore,
  TokenStoreLock,
  TokenStoreLockOptions,
} from "./store/TokenStore";
export {
  defaultWebStoragePrefix,
  type WebLockManager,
  type WebStorage,
  type WebStorageStoreOptions,
  webStorageStore,
} from "./webStorage/webStorageStore";
