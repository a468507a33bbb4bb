// Test support for Redis, shared with packages/tests: a real server, cluster or Sentinel setup, and
// per-test connections.
export {
  type ClusterNode,
  type RedisClusterOptions,
  startRedisCluster,
  type TestRedisCluster,
} from "./redisCluster";
export { connectRedis, deleteKeysUnder, uniquePrefix } from "./redisConnection";
export { pollUntil, type RedisProcess } from "./redisProcess";
export { type RedisSentinelOptions, startRedisSentinel, type TestRedisSentinel } from "./redisSentinel";
export { startRedisIfNeeded, type TestRedis } from "./redisServer";
