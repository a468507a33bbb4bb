import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { sleep } from "@kontist-auth/protocol";
import {
  memoryStore,
  type StoredToken,
  type TokenStore,
  type WebStorage,
  webStorageStore,
} from "@kontist-auth/token-store";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeJwt } from "../../test/fakeJwt";
import { Client } from "../Client";
import type { Token } from "../token/Token";

// A client following its token store's changes made elsewhere (TokenStore.watch): the tabs of a browser,
// played by webStorageStores over one Web Storage whose changes are told to the other "tabs" as a browser
// does, with a `storage` event on each other tab's window, in a task of its own. (The real thing, in
// Chromium: packages/tests/src/browser/tabs.test.ts.)

const key = "kontist-auth:c";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** One origin's Web Storage, and its tabs: each has its own view of it and its own window. */
function webStorageOfTabs() {
  const items = new Map<string, string>();
  const windows = new Map<WebStorage, EventTarget>();
  const tellOthers = (from: WebStorage, name: string) => {
    for (const [storageArea, window] of windows) {
      if (storageArea === from) continue;
      setTimeout(() => window.dispatchEvent(Object.assign(new Event("storage"), { key: name, storageArea })));
    }
  };
  return {
    items,
    /** A new tab: a client of its own over the shared storage (the client's options as `options`). */
    tab(): Client {
      const view: WebStorage = {
        getItem: (name) => items.get(name) ?? null,
        setItem: (name, value) => {
          items.set(name, value);
          tellOthers(view, name);
        },
        removeItem: (name) => {
          if (items.delete(name)) tellOthers(view, name);
        },
      };
      const storageEvents = new EventTarget();
      windows.set(view, storageEvents);
      return clientOf(webStorageStore(view, { storageEvents }));
    },
  };
}

function clientOf(tokenStore: TokenStore): Client {
  return new Client({ baseUrl: "http://127.0.0.1:9", clientId: "c", clientSecret: "s", tokenStore });
}

/** A JWT of `sub`, expiring in `seconds`, confirmed (a `cnf` claim) when asked. */
function jwt(sub: string, seconds = 3600, confirmed = false, jti = String(Math.random())) {
  const exp = Math.floor(Date.now() / 1000) + seconds;
  return fakeJwt({ sub, exp, jti, ...(confirmed ? { cnf: { kid: "device-1" } } : {}) });
}

/** The access tokens (`null` for none) the client's listeners get from now on. */
function changesOf(client: Client): (string | null)[] {
  const seen: (string | null)[] = [];
  client.auth.tokenManager.onTokenChange((token: Token | null) => seen.push(token?.accessToken ?? null));
  return seen;
}

/** V8's `gc()`, which Node hides unless started with `--expose-gc`. */
function garbageCollector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Until every storage event sent so far has been delivered and followed. */
const eventsFollowed = () => sleep(20);

/** Two tabs sharing a token user-1 logged in with in tab A; tab B has loaded it. */
async function twoTabsLoggedIn() {
  const storage = webStorageOfTabs();
  const tabA = storage.tab();
  const tabB = storage.tab();
  const first = jwt("user-1");
  await tabA.auth.tokenManager.storeToken(first, "rt-1");
  expect((await tabB.auth.tokenManager.loadToken())?.accessToken).toBe(first);
  return { storage, tabA, tabB, first, seenByB: changesOf(tabB) };
}

describe("a client following its token store's changes in other tabs (watch)", () => {
  it("follows a logout in another tab: listeners get null, the next call is NO_TOKEN, nothing is written back", async () => {
    const { storage, tabA, tabB, seenByB } = await twoTabsLoggedIn();
    await tabA.auth.tokenManager.logout();
    await eventsFollowed();

    expect(seenByB).toEqual([null]);
    expect(tabB.auth.tokenManager.token).toBeNull();
    await expect(tabB.auth.tokenManager.getValidToken()).rejects.toMatchObject({ code: "NO_TOKEN" });
    await tabB.auth.tokenManager.flush();
    expect(storage.items.size).toBe(0);
  });

  it("adopts the same user's token renewed or confirmed in another tab, with its refresh token", async () => {
    const { tabA, tabB, seenByB } = await twoTabsLoggedIn();
    const renewed = jwt("user-1", 7200);
    await tabA.auth.tokenManager.storeToken(renewed, "rt-2");
    await eventsFollowed();
    expect(seenByB).toEqual([renewed]);
    expect(tabB.auth.tokenManager.token?.refreshToken).toBe("rt-2");

    const confirmed = jwt("user-1", 600, true); // confirmed beats a later expiry
    await tabA.auth.tokenManager.storeToken(confirmed, "rt-confirmed");
    await eventsFollowed();
    expect(seenByB).toEqual([renewed, confirmed]);
    expect(tabB.auth.tokenManager.token?.confirmed).toBe(true);
  });

  it("never adopts another user's token, nor an unconfirmed or older one of its own user", async () => {
    const { tabA, tabB, first, seenByB } = await twoTabsLoggedIn();
    await tabA.auth.tokenManager.storeToken(jwt("user-2", 7200), "rt-other");
    await tabA.auth.tokenManager.storeToken(jwt("user-1", 60), "rt-older");
    await eventsFollowed();
    expect(seenByB).toEqual([]);
    expect(tabB.auth.tokenManager.token?.accessToken).toBe(first);

    const confirmed = jwt("user-1", 600, true);
    await tabA.auth.tokenManager.storeToken(confirmed, "rt-confirmed");
    await eventsFollowed();
    await tabA.auth.tokenManager.storeToken(jwt("user-1", 7200), "rt-unconfirmed");
    await eventsFollowed();
    expect(seenByB).toEqual([confirmed]);
  });

  it("takes up a login in another tab when it holds no token, loaded or not", async () => {
    const storage = webStorageOfTabs();
    const [tabA, loaded, notLoaded] = [storage.tab(), storage.tab(), storage.tab()];
    expect(await loaded.auth.tokenManager.loadToken()).toBeNull();
    const seen = [changesOf(loaded), changesOf(notLoaded)];

    const login = jwt("user-1");
    await tabA.auth.tokenManager.storeToken(login, "rt-1");
    await eventsFollowed();
    expect(seen).toEqual([[login], [login]]);
  });

  it("follows quick changes: a renewal then a logout leaves no token", async () => {
    const { tabA, tabB } = await twoTabsLoggedIn();
    const { tokenManager } = tabA.auth;
    tokenManager.setToken(jwt("user-1", 7200), "rt-2"); // written in the background…
    await tokenManager.logout(); // …then deleted
    await eventsFollowed();
    expect(tabB.auth.tokenManager.token).toBeNull();
  });
});

/**
 * A memoryStore with a watch() that tells every watcher of every change, its own writer's included, and
 * a `get` that waits for `gate` while it is set.
 */
function watchedMemoryStore() {
  const inner = memoryStore();
  const watchers = new Set<() => void>();
  const tell = () => {
    for (const watcher of watchers) watcher();
  };
  const control: { gate: Promise<void> | undefined } = { gate: undefined };
  const store: TokenStore = {
    get: async (k) => {
      await control.gate;
      return inner.get(k);
    },
    set: async (k, token: StoredToken) => {
      await inner.set(k, token);
      tell();
    },
    delete: async (k) => {
      await inner.delete(k);
      tell();
    },
    lock: async (k, options) => {
      const lock = await inner.lock(k, options);
      return {
        release: () => lock.release(),
        set: async (token) => {
          await lock.set(token);
          tell();
        },
        delete: async () => {
          await lock.delete();
          tell();
        },
      };
    },
    watch: (_, onChange) => {
      watchers.add(onChange);
      return () => watchers.delete(onChange);
    },
  };
  return { store, inner, tell, control, watchers };
}

describe("TokenStoreSync's watch, against a store that tells of its own writes too", () => {
  it("ignores its own writes: no listener call, no read loop", async () => {
    const { store } = watchedMemoryStore();
    const client = clientOf(store);
    const get = vi.spyOn(store, "get");
    const seen = changesOf(client);
    await client.auth.tokenManager.storeToken(jwt("user-1"), "rt-1");
    await eventsFollowed();
    expect(seen).toHaveLength(1); // storeToken's own
    expect(get).toHaveBeenCalledTimes(1); // the watch's one read, which found its own token
  });

  it("keeps a token set while it was reading the store", async () => {
    const { store, inner, tell, control } = watchedMemoryStore();
    const client = clientOf(store);
    await client.auth.tokenManager.storeToken(jwt("user-1"), "rt-1");
    await client.auth.tokenManager.flush();

    const seen = changesOf(client);
    let open = () => {};
    control.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    await inner.delete(key); // a logout elsewhere…
    tell();
    await sleep(10); // …being read, when this process sets a token
    const mine = client.auth.tokenManager.setToken(jwt("user-1", 7200), "rt-mine");
    control.gate = undefined;
    open();
    await eventsFollowed();
    await client.auth.tokenManager.flush();
    expect(client.auth.tokenManager.token).toBe(mine);
    expect(seen).toEqual([mine.accessToken]); // the logout read before it was never followed
    expect((await inner.get(key))?.accessToken).toBe(mine.accessToken);
  });

  it("reads only once its own queued writes have landed: a token set here is not dropped for an older logout", async () => {
    const { store, inner, tell } = watchedMemoryStore();
    const client = clientOf(store);
    await client.auth.tokenManager.storeToken(jwt("user-1"), "rt-1");
    const seen = changesOf(client);

    const elsewhere = await inner.lock(key); // another process holds the key's lock…
    await inner.delete(key); // …and logs out; its change is told while it still holds the lock
    const mine = client.auth.tokenManager.setToken(jwt("user-1", 7200), "rt-mine"); // waits for the lock
    tell();
    await eventsFollowed();
    await elsewhere.release();
    await client.auth.tokenManager.flush();
    await eventsFollowed();

    expect(seen).toEqual([mine.accessToken]);
    expect((await inner.get(key))?.accessToken).toBe(mine.accessToken);
  });

  it("lets a client nobody holds be collected: its watcher stops at the store's next change", async () => {
    const collectGarbage = garbageCollector();
    const { store, watchers, tell } = watchedMemoryStore();
    const kept = clientOf(store);
    (() => clientOf(store))();
    expect(watchers.size).toBe(2);
    await sleep(0); // a WeakRef's target is kept until the job that made it has ended
    collectGarbage();
    tell();
    expect(watchers.size).toBe(1);
    expect(kept.auth.tokenManager.token).toBeNull();
  });

  it("works on without following when the store's watch throws (reported), or returns no stop function", async () => {
    const reportError = vi.fn();
    vi.stubGlobal("reportError", reportError);
    for (const watch of [
      () => {
        throw new Error("no events here");
      },
      () => undefined as unknown as () => void,
    ]) {
      const store: TokenStore = { ...memoryStore(), watch };
      const client = clientOf(store);
      await client.auth.tokenManager.storeToken(jwt("user-1"), "rt-1");
      expect((await client.auth.tokenManager.getValidToken()).refreshToken).toBe("rt-1");
    }
    expect(reportError).toHaveBeenCalledTimes(1);
    expect(reportError.mock.calls[0]?.[0]).toMatchObject({ code: "TOKEN_STORE_ERROR" });
  });
});
