import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { onAbort } from "./onAbort";

describe("onAbort", () => {
  it("puts one listener on the signal for any number of callbacks, and calls each once, in order", () => {
    const controller = new AbortController();
    const calls: number[] = [];
    for (let index = 0; index < 100; index++) onAbort(controller.signal, () => calls.push(index));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    controller.abort();
    expect(calls).toEqual(Array.from({ length: 100 }, (_, index) => index));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("removes a callback, and the signal's listener with the last one", () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const stopA = onAbort(controller.signal, () => calls.push("a"));
    const stopB = onAbort(controller.signal, () => calls.push("b"));
    stopA();
    stopA();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    stopB();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    const stopC = onAbort(controller.signal, () => calls.push("c"));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    stopC();
    expect(calls).toEqual(["c"]);
  });

  it("calls a callback added twice twice, and not one that an earlier callback removed", () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const twice = () => calls.push("twice");
    onAbort(controller.signal, twice);
    onAbort(controller.signal, twice);
    let stopLast = () => {};
    onAbort(controller.signal, () => {
      calls.push("remover");
      stopLast();
    });
    stopLast = onAbort(controller.signal, () => calls.push("last"));
    controller.abort();
    // As with the signal's own listeners, one removed by an earlier listener is not called.
    expect(calls).toEqual(["twice", "twice", "remover"]);
  });
});
