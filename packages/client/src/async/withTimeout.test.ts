import { describe, expect, it } from "vitest";
import { withTimeout } from "./withTimeout";

describe("withTimeout", () => {
  it("settles like the promise, or rejects with a TimeoutError once the time has passed", async () => {
    await expect(withTimeout(Promise.resolve(1), 50, "x")).resolves.toBe(1);
    await expect(withTimeout(Promise.reject(new Error("no")), 50, "x")).rejects.toThrow("no");
    const never = new Promise<never>(() => {});
    const started = Date.now();
    await expect(withTimeout(never, 50, "reading the token store")).rejects.toMatchObject({
      code: "TIMEOUT",
      timeout: 50,
      message: "reading the token store timed out after 50 ms and was aborted",
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
