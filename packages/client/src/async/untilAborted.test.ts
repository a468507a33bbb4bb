import { describe, expect, it } from "vitest";
import { untilAborted } from "./untilAborted";

describe("untilAborted", () => {
  it("settles like the promise, or rejects with the signal's reason first", async () => {
    await expect(untilAborted(Promise.resolve(1), undefined)).resolves.toBe(1);
    await expect(untilAborted(Promise.reject(new Error("x")), new AbortController().signal)).rejects.toThrow(
      "x",
    );
    const controller = new AbortController();
    const never = new Promise<never>(() => {});
    const waiting = untilAborted(never, controller.signal);
    controller.abort("gone");
    await expect(waiting).rejects.toBe("gone");
    await expect(untilAborted(Promise.resolve(1), AbortSignal.abort("early"))).rejects.toBe("early");
  });
});
