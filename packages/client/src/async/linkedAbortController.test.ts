import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { linkedAbortController } from "./linkedAbortController";

const wrap = (reason: unknown) => ({ wrapped: reason });

describe("linkedAbortController", () => {
  it("aborts with the mapped reason when the caller's signal aborts, and unlinks its listener", () => {
    const caller = new AbortController();
    const { controller, unlink } = linkedAbortController(caller.signal, wrap);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(1);
    caller.abort("stop");
    expect(controller.signal.reason).toEqual({ wrapped: "stop" });
    unlink();
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });

  it("aborts at once for a signal that has already aborted, and works without a signal", () => {
    expect(linkedAbortController(AbortSignal.abort("early"), wrap).controller.signal.reason).toEqual({
      wrapped: "early",
    });
    const alone = linkedAbortController(undefined, wrap);
    expect(alone.controller.signal.aborted).toBe(false);
    alone.unlink();
  });

  it("can be aborted by its owner without touching the caller's signal; unlink stops the caller's abort", () => {
    const caller = new AbortController();
    const { controller, unlink } = linkedAbortController(caller.signal, wrap);
    controller.abort("timeout");
    expect(caller.signal.aborted).toBe(false);
    unlink();
    const second = linkedAbortController(caller.signal, wrap);
    second.unlink();
    caller.abort("late");
    expect(second.controller.signal.aborted).toBe(false);
  });
});
