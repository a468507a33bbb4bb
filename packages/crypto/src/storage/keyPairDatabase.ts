import { IndexedDbUnavailableError, KeyStorageError } from "../errors";
import type { KeyPairStorageOptions } from "./KeyPairStorageOptions";

// One short-lived connection per call: nothing stays open to block another tab's version change, and a
// value is on disk once its transaction completes, not merely once `put` succeeds.

const defaultDbName = "kontist-auth";
const defaultStoreName = "key-pairs";
/** How long an open may stay blocked by another connection before it fails, in milliseconds. */
const blockedTimeout = 10_000;

/** Checks a key pair id: a non-empty string. */
export function assertKeyPairId(id: unknown, caller: string): asserts id is string {
  if (typeof id !== "string" || id.length === 0)
    throw new TypeError(`${caller}: id must be a non-empty string.`);
}

/**
 * Runs `operation` on the key pair object store in one transaction of `mode` and resolves with the
 * result of its request once the transaction has completed.
 */
export async function withKeyPairStore<T>(
  options: KeyPairStorageOptions,
  mode: IDBTransactionMode,
  operation: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const storeName = options.storeName ?? defaultStoreName;
  const database = await openDatabase(indexedDbOf(options), options.dbName ?? defaultDbName, storeName);
  try {
    return await new Promise<T>((resolve, reject) => {
      let request: IDBRequest<T>;
      let transaction: IDBTransaction;
      try {
        transaction = database.transaction(storeName, mode);
        request = operation(transaction.objectStore(storeName));
      } catch (cause) {
        reject(new KeyStorageError("IndexedDB refused the key pair transaction.", { cause }));
        return;
      }
      transaction.oncomplete = () => resolve(request.result);
      const fail = () =>
        reject(
          new KeyStorageError("The IndexedDB key pair transaction failed.", {
            cause: transaction.error ?? request.error,
          }),
        );
      transaction.onerror = fail;
      transaction.onabort = fail;
    });
  } finally {
    database.close();
  }
}

function indexedDbOf(options: KeyPairStorageOptions): IDBFactory {
  const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (factory === undefined || factory === null) {
    throw new IndexedDbUnavailableError(
      "IndexedDB is not available here (Node, or a browser that blocks storage); pass options.indexedDB " +
        "or keep the key pair another way.",
    );
  }
  return factory;
}

/** Opens the database, adding the object store (by a version upgrade) when it is missing. */
async function openDatabase(factory: IDBFactory, name: string, storeName: string): Promise<IDBDatabase> {
  const database = await open(factory, name, undefined, storeName);
  if (database.objectStoreNames.contains(storeName)) return database;
  const version = database.version + 1;
  database.close();
  return open(factory, name, version, storeName);
}

function open(
  factory: IDBFactory,
  name: string,
  version: number | undefined,
  storeName: string,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = version === undefined ? factory.open(name) : factory.open(name, version);
    } catch (cause) {
      reject(new KeyStorageError("IndexedDB refused to open the key pair database.", { cause }));
      return;
    }
    let settled = false;
    request.onupgradeneeded = () => {
      const database = request.result;
      if (!database.objectStoreNames.contains(storeName)) database.createObjectStore(storeName);
    };
    request.onsuccess = () => {
      const database = request.result;
      if (settled) {
        database.close(); // opened after we gave up on a blocked upgrade
        return;
      }
      settled = true;
      // Let a newer version elsewhere (another tab) proceed instead of waiting for this connection.
      database.onversionchange = () => database.close();
      resolve(database);
    };
    request.onerror = () => {
      if (settled) return;
      settled = true;
      reject(
        new KeyStorageError("IndexedDB could not open the key pair database.", { cause: request.error }),
      );
    };
    // Blocked: another connection (often another tab) has not closed for our version upgrade yet. That
    // usually passes within moments; give up only after a while rather than wait forever.
    request.onblocked = () => {
      setTimeout(() => {
        if (settled) return;
        settled = true;
        reject(
          new KeyStorageError(
            "The key pair database is held open at an older version elsewhere (another tab?); close it and retry.",
          ),
        );
      }, blockedTimeout);
    };
  });
}
