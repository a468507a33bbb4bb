import { lockLostError, lockTimeoutError, TokenStoreError } from "../errors";
import { resolveLockOptions } from "../store/resolveLockOptions";
import { checkedStoredToken, checkKey } from "../store/storedToken";
import { decodeStoredToken, encodeStoredToken } from "../store/storedTokenCodec";
import type { StoredToken, TokenStore } from "../store/TokenStore";

/** What {@link webStorageStore} needs of a `Storage` (`localStorage`, `sessionStorage`, or a double). */
export type WebStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** What {@link webStorageStore} needs of the Web Locks API (`navigator.locks`). */
export interface WebLockManager {
  request(
    name: string,
    options: { mode: "exclusive"; ifAvailable?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void> | undefined,
  ): Promise<unknown>;
}

/** Options of {@link webStorageStore}. */
export interface WebStorageStoreOptions {
  /** Put before every key to make the item's name; default `"@kontist-auth/token-store:"`. */
  prefix?: string | undefined;
  /**
   * The Web Locks API to lock keys with, across the tabs and workers of the origin; default
   * `navigator.locks` where the platform has it. `null`: a store without `lock()`.
   */
  locks?: WebLockManager | null | undefined;
  /**
   * Where the `storage` events of the other tabs of the origin arrive, for `watch()`; default the
   * browser's `window` where there is one. `null`: a store without `watch()`.
   */
  storageEvents?: StorageEventSource | null | undefined;
}

/**
 * What {@link webStorageStore} needs to watch its items: the browser's `window` (or a double), which
 * sends a `storage` event (`key`, `storageArea`) to every other tab of the origin when one changes an item.
 */
export type StorageEventSource = Pick<EventTarget, "addEventListener" | "removeEventListener">;

/** The default of {@link WebStorageStoreOptions.prefix}. */
export const defaultWebStoragePrefix = "@kontist-auth/token-store:";

/**
 * A token store in Web Storage: `sessionStorage` (recommended: the token lives as long as the tab, and
 * is not shared with other tabs) or `localStorage` (kept across restarts, shared by every tab of the
 * origin). Either way any script running on the page can read it, so an XSS hole leaks the token: keep
 * access tokens there only, and do not keep long-lived refresh tokens of a public client there (browser
 * PKCE clients get none from Kontist and renew silently). Each key is one item, `prefix + key`, holding
 * `{"format":"@kontist-auth/token-store","version":1,"token":{…}}`.
 *
 * Where the platform has the Web Locks API, `lock()` locks the key across the tabs of the origin (a tab
 * that closes releases its locks; `ttlMs` releases one a tab forgot). In a browser window, `watch()`
 * tells of changes another tab makes to a key (the browser's `storage` events), so a client in this tab
 * follows a logout or a renewal in another one at once.
 *
 * Every method rejects with a `TokenStoreError`: `TOKEN_STORE_ERROR` when the storage throws (disabled
 * storage, a full quota), `TOKEN_STORE_CORRUPT` for an item this package did not write;
 * `TOKEN_STORE_LOCK_TIMEOUT` from `lock()`. A `TypeError` for an empty key, a value that is not a
 * `StoredToken`, or a `watch()` listener that is not a function.
 *
 * @example
 * import { Client } from "@kontist-auth/client";
 * import { webStorageStore } from "@kontist-auth/token-store";
 *
 * // The PKCE state and verifier, kept in sessionStorage across the login redirect (see @kontist-auth/client).
 * const { state, verifier } = JSON.parse(sessionStorage.getItem("pkce") ?? "{}");
 * const client = new Client({
 *   clientId: "my-public-client",
 *   redirectUri: `${location.origin}/callback`,
 *   state,
 *   verifier,
 *   tokenStore: webStorageStore(sessionStorage),
 * });
 */
export function webStorageStore(storage: WebStorage, options: WebStorageStoreOptions = {}): TokenStore {
  if (typeof storage?.getItem !== "function" || typeof storage.setItem !== "function") {
    throw new TypeError(
      "webStorageStore: storage must be a Storage, such as sessionStorage or localStorage.",
    );
  }
  const prefix = options.prefix ?? defaultWebStoragePrefix;
  if (typeof prefix !== "string") throw new TypeError("webStorageStore: prefix must be a string.");
  const locks = options.locks === undefined ? platformLocks() : options.locks;
  const events = options.storageEvents === undefined ? platformStorageEvents() : options.storageEvents;

  const access = <T>(what: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw new TokenStoreError("TOKEN_STORE_ERROR", `Web Storage failed to ${what} a token.`, {
        cause: error,
      });
    }
  };

  // Synchronous, so a lock's check and its write happen in one step (see `lock` below).
  const writeItem = (key: string, token: StoredToken) => {
    const item = encodeStoredToken(token);
    access("write", () => storage.setItem(prefix + key, item));
  };
  const removeItem = (key: string) => {
    checkKey(key);
    access("remove", () => storage.removeItem(prefix + key));
  };

  const store: TokenStore = {
    async get(key) {
      checkKey(key);
      const text = access("read", () => storage.getItem(prefix + key));
      return text === null ? undefined : decodeStoredToken(text, "Web Storage item of this key");
    },
    async set(key, token) {
      writeItem(key, checkedStoredToken(key, token));
    },
    async delete(key) {
      removeItem(key);
    },
  };
  if (locks !== null) {
    store.lock = async (key, lockOptions) => {
      checkKey(key);
      const lease = await lockWith(locks, prefix + key, lockOptions);
      // The Web Lock is ours until our own release or TTL timer frees it, in this same event loop: a
      // synchronous check and write cannot be overtaken by another tab.
      return {
        release: lease.release,
        async set(token) {
          const copy = checkedStoredToken(key, token);
          if (!lease.isHeld()) throw lockLostError();
          writeItem(key, copy);
        },
        async delete() {
          if (!lease.isHeld()) throw lockLostError();
          removeItem(key);
        },
      };
    };
  }
  if (events !== null) {
    store.watch = (key, onChange) => {
      checkKey(key);
      if (typeof onChange !== "function") throw new TypeError("watch: onChange must be a function.");
      const name = prefix + key;
      const listener = (event: Event) => {
        const { key: changed, storageArea } = event as Partial<StorageEvent>;
        // `key` is null when the other tab cleared the whole storage.
        if (storageArea === storage && (changed === null || changed === name)) onChange();
      };
      events.addEventListener("storage", listener);
      return () => events.removeEventListener("storage", listener);
    };
  }
  return store;
}

function platformLocks(): WebLockManager | null {
  const locks = (globalThis as { navigator?: { locks?: WebLockManager } }).navigator?.locks;
  return typeof locks?.request === "function" ? locks : null;
}

/** The browser's window: where `storage` events arrive (never a worker, which gets none). */
function platformStorageEvents(): StorageEventSource | null {
  const scope = globalThis as { window?: unknown; addEventListener?: unknown };
  return typeof StorageEvent === "function" &&
    scope.window === globalThis &&
    typeof scope.addEventListener === "function"
    ? (globalThis as unknown as StorageEventSource)
    : null;
}

/** A held Web Lock: release it, and ask whether it is still held (not released, TTL not passed). */
interface WebLockLease {
  release(): Promise<void>;
  isHeld(): boolean;
}

async function lockWith(
  locks: WebLockManager,
  name: string,
  options: Parameters<NonNullable<TokenStore["lock"]>>[1],
): Promise<WebLockLease> {
  const { ttlMs, timeoutMs } = resolveLockOptions(options);
  const signal = timeoutMs === 0 ? undefined : AbortSignal.timeout(timeoutMs);
  return new Promise<WebLockLease>((resolve, reject) => {
    const request =
      signal === undefined
        ? { mode: "exclusive" as const, ifAvailable: true }
        : { mode: "exclusive" as const, signal };
    locks
      .request(name, request, (lock) => {
        if (lock === null) {
          reject(lockTimeoutError(timeoutMs));
          return undefined;
        }
        // The Web Lock is held until this promise settles: on release, or after the TTL.
        return new Promise<void>((done) => {
          let held = true;
          const free = () => {
            held = false;
            clearTimeout(timer);
            done();
          };
          const timer = setTimeout(free, ttlMs);
          resolve({ release: async () => free(), isHeld: () => held });
        });
      })
      .catch((error: unknown) => {
        reject(
          signal?.aborted
            ? lockTimeoutError(timeoutMs)
            : new TokenStoreError("TOKEN_STORE_ERROR", "The Web Locks API refused the lock.", {
                cause: error,
              }),
        );
      });
  });
}
