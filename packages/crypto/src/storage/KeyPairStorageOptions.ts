/** Where {@link saveKeyPair}, {@link loadKeyPair} and {@link deleteKeyPair} keep key pairs. */
export interface KeyPairStorageOptions {
  /** The IndexedDB database name. Default `"kontist-auth"`. */
  dbName?: string;
  /** The object store inside it (created when missing). Default `"key-pairs"`. */
  storeName?: string;
  /** The IndexedDB factory. Default: `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
}
