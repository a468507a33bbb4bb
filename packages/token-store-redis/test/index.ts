// Test support for Redis, shared with packages/tests: a real server and per-test connections.
export { connectRedis, deleteKeysUnder, uniquePrefix } from "./redisConnection";
export { startRedisIfNeeded, type TestRedis } from "./redisServer";
