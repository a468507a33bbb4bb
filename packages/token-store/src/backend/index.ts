/**
 * What a store is built from: the argument checks, the lock options, the stored-token codec, the lock
 * errors. For store authors; applications import the main entry. Browser-safe, like the main entry.
 *
 * @module @kontist-auth/token-store/backend
 */
export { isTokenStoreError, lockLostError, lockTimeoutError } from "../errors";
export { defaultLockTimeoutMs, defaultLockTtlMs, resolveLockOptions } from "../store/resolveLockOptions";
export { checkedStoredToken, checkKey, isStoredToken, normalizeStoredToken } from "../store/storedToken";
export {
  decodeStoredToken,
  encodeStoredToken,
  storedTokenFormat,
  storedTokenFormatVersion,
} from "../store/storedTokenCodec";
