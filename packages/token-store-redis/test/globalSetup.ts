import { startRedisIfNeeded } from "./redisServer";

// Every test of this project talks to one real Redis: REDIS_URL's, or one started here and stopped after.
// Workers inherit REDIS_URL from this process's environment.
export default async function setup() {
  const redis = await startRedisIfNeeded();
  process.env.REDIS_URL = redis.url;
  return async () => {
    await redis.stop();
  };
}
