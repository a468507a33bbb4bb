import { describe, expect, it } from "vitest";
import { entryPointShapes } from "../../../test/exportShape";

describe("@kontist-auth/token-store-redis", () => {
  // An accidental export, or a removed one, changes the public API: update the snapshot on purpose only.
  it("exports exactly its public API, per entry point", async () => {
    expect(await entryPointShapes(new URL("..", import.meta.url))).toMatchInlineSnapshot(`
      {
        ".": {
          "TokenStoreError": "class",
          "escapeKeyPattern": "function",
          "redisStore": "function",
          "redisStoreDefaults": "object",
        },
      }
    `);
  });
});
