import { sleep } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { createSecretKeyLease } from "./createSecretKeyLease";

/** A load the test resolves by hand, counting calls and keeping every array it handed out. */
function controlledLoad() {
  const handedOut: Uint8Array[] = [];
  const pending: ((key: Uint8Array) => void)[] = [];
  const failures: ((error: Error) => void)[] = [];
  const load = () =>
    new Promise<Uint8Array>((resolve, reject) => {
      pending.push((key) => {
        handedOut.push(key);
        resolve(key);
      });
      failures.push(reject);
    });
  return {
    load,
    handedOut,
    get calls() {
      return pending.length;
    },
    resolve: (index: number) => pending[index]?.(new Uint8Array(32).fill(index + 1)),
    reject: (index: number) => failures[index]?.(new Error("store failed")),
  };
}

const flush = () => sleep(0);

describe("createSecretKeyLease", () => {
  it("lends the key to one use and wipes it afterwards", async () => {
    const store = controlledLoad();
    const lease = createSecretKeyLease(store.load);
    const seen = lease((key) => Array.from(key));
    store.resolve(0);
    expect(await seen).toEqual(Array(32).fill(1));
    expect(store.handedOut[0]).toEqual(new Uint8Array(32));
  });

  it("calls that overlap a load share it; the key is wiped once the last of them is done", async () => {
    const store = controlledLoad();
    const lease = createSecretKeyLease(store.load);
    const wipedDuringUse: boolean[] = [];
    const uses = Array.from({ length: 100 }, () =>
      lease((key) => {
        wipedDuringUse.push(key.every((byte) => byte === 0));
        return key[0];
      }),
    );
    expect(store.calls).toBe(1);
    store.resolve(0);
    expect(await Promise.all(uses)).toEqual(Array(100).fill(1));
    expect(wipedDuringUse).not.toContain(true);
    expect(store.handedOut[0]).toEqual(new Uint8Array(32));
  });

  it("a call after a load finished loads again: the key is never kept between uses", async () => {
    const store = controlledLoad();
    const lease = createSecretKeyLease(store.load);
    const first = lease((key) => key[0]);
    store.resolve(0);
    expect(await first).toBe(1);
    const second = lease((key) => key[0]);
    await flush();
    expect(store.calls).toBe(2);
    store.resolve(1);
    expect(await second).toBe(2);
    expect(store.handedOut.every((key) => key.every((byte) => byte === 0))).toBe(true);
  });

  it("a failed load rejects every call that shared it; the next call loads again", async () => {
    const store = controlledLoad();
    const lease = createSecretKeyLease(store.load);
    const uses = [lease(() => 1), lease(() => 2)];
    store.reject(0);
    for (const use of uses) await expect(use).rejects.toThrow("store failed");
    const retry = lease((key) => key[0]);
    await flush();
    store.resolve(1);
    expect(await retry).toBe(2);
  });

  it("wipes the key when a use throws, and passes the error on", async () => {
    const store = controlledLoad();
    const lease = createSecretKeyLease(store.load);
    const failing = lease(() => {
      throw new Error("use failed");
    });
    const fine = lease((key) => key[0]);
    store.resolve(0);
    await expect(failing).rejects.toThrow("use failed");
    expect(await fine).toBe(1);
    expect(store.handedOut[0]).toEqual(new Uint8Array(32));
  });
});
