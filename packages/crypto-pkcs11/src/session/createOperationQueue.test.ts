import { sleep } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { createOperationQueue } from "./createOperationQueue";

const tick = () => sleep(1);

describe("createOperationQueue", () => {
  it("runs operations one at a time, in order", async () => {
    const queue = createOperationQueue();
    const events: string[] = [];
    let running = 0;
    const results = await Promise.all(
      [3, 1, 2].map((value) =>
        queue.run(async () => {
          running++;
          expect(running).toBe(1);
          events.push(`start ${value}`);
          await tick();
          events.push(`end ${value}`);
          running--;
          return value;
        }),
      ),
    );
    expect(results).toEqual([3, 1, 2]);
    expect(events).toEqual(["start 3", "end 3", "start 1", "end 1", "start 2", "end 2"]);
  });

  it("keeps going after an operation fails, and passes the failure to its caller only", async () => {
    const queue = createOperationQueue();
    const failed = queue.run(() => {
      throw new Error("first");
    });
    const next = queue.run(() => "second");
    await expect(failed).rejects.toThrow("first");
    await expect(next).resolves.toBe("second");
  });
});
