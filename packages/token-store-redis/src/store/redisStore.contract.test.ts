import { describeTokenStoreContract } from "@kontist-auth/token-store/testing";
import { connectRedis, deleteKeysUnder, uniquePrefix } from "../../test";
import { redisStore } from "./redisStore";

// The contract every TokenStore keeps, checked against a real Redis; the peer is another connection, as
// another process would have.
describeTokenStoreContract("redisStore", () => {
  const prefix = uniquePrefix("contract");
  const redis = connectRedis();
  const peerRedis = connectRedis();
  return {
    store: redisStore(redis, { prefix, pollMs: 10 }),
    peer: () => redisStore(peerRedis, { prefix, pollMs: 10 }),
    close: async () => {
      await deleteKeysUnder(redis, prefix);
      await Promise.all([redis.quit(), peerRedis.quit()]);
    },
  };
});
