import { describe, expect, it } from "vitest";
import * as tokenStoreRedis from "./index";

describe("@kontist-auth/token-store-redis", () => {
  // Adding or removing a public export must be a deliberate change to this list.
  it("exports exactly its public API", () => {
    expect(Object.keys(tokenStoreRedis).sort()).toEqual([
      "TokenStoreError",
      "isTokenStoreError",
      "redisStore",
      "redisStoreDefaults",
    ]);
  });
});
