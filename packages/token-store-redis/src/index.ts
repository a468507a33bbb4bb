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
export { type RedisStoreOptions, redisStore, redisStoreDefaults } from "./store/redisStore";
