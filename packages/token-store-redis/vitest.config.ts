import { project } from "../../vitest.preset.ts";

// The tests run against a real Redis: REDIS_URL's, or a redis-server the global setup starts and stops.
export default project("token-store-redis", {
  test: { globalSetup: ["./test/globalSetup.ts"] },
});
