export {
  type LockingTokenStore,
  type StoredToken,
  type TokenStore,
  TokenStoreError,
  type TokenStoreErrorCode,
  type TokenStoreLock,
  type TokenStoreLockOptions,
} from "@kontist-auth/token-store";
export type { RedisConnection } from "./lock/acquireRedisLock";
export { escapeKeyPattern } from "./store/escapeKeyPattern";
export {
  type RedisStoreOptions,
  type RedisTokenStore,
  redisStore,
  redisStoreDefaults,
} from "./store/redisStore";
