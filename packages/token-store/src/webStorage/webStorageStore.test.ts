import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { describe, expect, it } from "vitest";
import { memoryLockManager } from "../../test/memoryLockManager";
import { memoryStorage } from "../../test/memoryStorage";
import { describeTokenStoreContract } from "../testing/describeTokenStoreContract";
import { sampleStoredToken } from "../testing/sampleStoredToken";
import { defaultWebStoragePrefix, webStorageStore } from "./webStorageStore";

describeTokenStoreContract("webStorageStore with the Web Locks API", () => {
  const storage = memoryStorage();
  const locks = memoryLockManager();
  return { store: webStorageStore(storage, { locks }), peer: () => webStorageStore(storage, { locks }) };
});

describeTokenStoreContract(
  "webStorageStore without the Web Locks API",
  () => {
    const storage = memoryStorage();
    return { store: webStorageStore(storage, { locks: null }), peer: () => webStorageStore(storage) };
  },
  { lock: false },
);

describe("webStorageStore", () => {
  it("keeps one item per key, named prefix + key, in a versioned envelope", async () => {
    const storage = memoryStorage();
    await webStorageStore(storage).set("kontist-auth:c", sampleStoredToken());
    await webStorageStore(storage, { prefix: "app/" }).set("k", sampleStoredToken(2));
    expect([...storage.items.keys()]).toEqual([`${defaultWebStoragePrefix}kontist-auth:c`, "app/k"]);
    expect(JSON.parse(storage.items.get("app/k") ?? "")).toEqual({
      format: "@kontist-auth/token-store",
      version: 1,
      token: sampleStoredToken(2),
    });
  });

  it.each([
    ["not JSON", "{refresh-secret"],
    ["foreign JSON", JSON.stringify({ access: "refresh-secret" })],
    ["another version", JSON.stringify({ format: "@kontist-auth/token-store", version: 2, token: {} })],
    ["a broken token", JSON.stringify({ format: "@kontist-auth/token-store", version: 1, token: { a: 1 } })],
  ])("refuses an item that is %s with TOKEN_STORE_CORRUPT, quoting nothing", async (_, text) => {
    const storage = memoryStorage();
    storage.items.set(`${defaultWebStoragePrefix}k`, text);
    const error = await webStorageStore(storage)
      .get("k")
      .catch((e: unknown) => e);
    expect(isKontistAuthError(error, "TOKEN_STORE_CORRUPT")).toBe(true);
    expect(String(error)).not.toContain("refresh-secret");
    expect((error as Error).cause).toBeUndefined();
  });

  it("turns a failing storage (quota, disabled) into TOKEN_STORE_ERROR with the cause", async () => {
    const quota = new DOMException("The quota has been exceeded.", "QuotaExceededError");
    const storage = {
      getItem: () => {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
      setItem: () => {
        throw quota;
      },
      removeItem: () => {},
    };
    const store = webStorageStore(storage, { locks: null });
    await expect(store.get("k")).rejects.toMatchObject({ code: "TOKEN_STORE_ERROR" });
    const error = await store.set("k", sampleStoredToken()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TOKEN_STORE_ERROR", cause: quota });
    expect(String(error)).not.toContain("refresh-1");
  });

  it("uses navigator.locks when the platform has it, and has no lock otherwise", () => {
    expect(webStorageStore(memoryStorage()).lock).toBeUndefined();
    const navigator = Object.getOwnPropertyDescriptor(globalThis, "navigator");
    Object.defineProperty(globalThis, "navigator", {
      value: { locks: memoryLockManager() },
      configurable: true,
    });
    try {
      expect(webStorageStore(memoryStorage()).lock).toBeTypeOf("function");
    } finally {
      if (navigator) Object.defineProperty(globalThis, "navigator", navigator);
      else Reflect.deleteProperty(globalThis, "navigator");
    }
  });

  it("refuses something that is not a Storage", () => {
    expect(() => webStorageStore({} as Storage)).toThrow(TypeError);
  });
});

/** A `storage` event as the browser sends it to the other tabs: the item's name and its storage. */
function storageEvent(key: string | null, storageArea: unknown): Event {
  return Object.assign(new Event("storage"), { key, storageArea });
}

describe("webStorageStore watch()", () => {
  const itemName = `${defaultWebStoragePrefix}k`;

  it("calls onChange for each storage event of the key's item (or of a cleared storage) until stopped", () => {
    const storage = memoryStorage();
    const storageEvents = new EventTarget();
    const store = webStorageStore(storage, { storageEvents });
    const calls: unknown[][] = [];
    const stop = store.watch?.("k", (...args: unknown[]) => void calls.push(args));

    storageEvents.dispatchEvent(storageEvent(itemName, storage));
    storageEvents.dispatchEvent(storageEvent(null, storage)); // localStorage.clear() in another tab
    expect(calls).toEqual([[], []]);

    stop?.();
    stop?.(); // harmless
    storageEvents.dispatchEvent(storageEvent(itemName, storage));
    expect(calls).toHaveLength(2);
  });

  it("ignores other keys, other prefixes, another storage area and other events", () => {
    const storage = memoryStorage();
    const storageEvents = new EventTarget();
    let calls = 0;
    webStorageStore(storage, { storageEvents }).watch?.("k", () => void calls++);
    webStorageStore(storage, { storageEvents, prefix: "app/" }).watch?.("other", () => void calls++);

    storageEvents.dispatchEvent(storageEvent(`${defaultWebStoragePrefix}k2`, storage));
    storageEvents.dispatchEvent(storageEvent("k", storage));
    storageEvents.dispatchEvent(storageEvent("app/k", storage));
    storageEvents.dispatchEvent(storageEvent(itemName, memoryStorage())); // sessionStorage, say
    storageEvents.dispatchEvent(Object.assign(new Event("message"), { key: itemName, storageArea: storage }));
    expect(calls).toBe(0);
    storageEvents.dispatchEvent(storageEvent("app/other", storage));
    expect(calls).toBe(1);
  });

  it("keeps the watchers of one key apart: stopping one leaves the others", () => {
    const storage = memoryStorage();
    const storageEvents = new EventTarget();
    const store = webStorageStore(storage, { storageEvents });
    const seen: string[] = [];
    const stopFirst = store.watch?.("k", () => void seen.push("first"));
    store.watch?.("k", () => void seen.push("second"));
    stopFirst?.();
    storageEvents.dispatchEvent(storageEvent(itemName, storage));
    expect(seen).toEqual(["second"]);
  });

  it("has no watch() outside a browser window, or with storageEvents: null", () => {
    expect(webStorageStore(memoryStorage()).watch).toBeUndefined(); // Node: no window, no StorageEvent
    expect(webStorageStore(memoryStorage(), { storageEvents: null }).watch).toBeUndefined();
  });

  it("refuses an empty key or an onChange that is not a function, with a TypeError", () => {
    const store = webStorageStore(memoryStorage(), { storageEvents: new EventTarget() });
    expect(() => store.watch?.("", () => {})).toThrow(TypeError);
    expect(() => store.watch?.("k", "not a function" as unknown as () => void)).toThrow(TypeError);
  });
});
