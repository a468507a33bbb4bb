/** Lends the secret key to `use` for one synchronous call; see {@link createSecretKeyLease}. */
export type SecretKeyLease = <T>(use: (secretKey: Uint8Array) => T) => Promise<T>;

/**
 * Makes the secret key available only while it is used: each call loads it (`load` resolves to a fresh
 * array this lease owns), runs `use`, and wipes the array with `fill(0)` afterwards. Calls that overlap a
 * load in flight share that load, so 100 concurrent signs read the credential store once or twice rather
 * than 100 times; the shared array is wiped when the last of them is done. A call that starts after a
 * load has finished starts a new one, so the key is never kept between uses.
 *
 * @example
 * import { generateSecretKey, signWithSecretKey } from "@kontist-auth/crypto/backend";
 *
 * const stored = generateSecretKey(); // stands in for the credential store
 * const withSecretKey = createSecretKeyLease(async () => Uint8Array.from(stored)); // a copy the lease may wipe
 * const message = new TextEncoder().encode("123456");
 * const rs = await withSecretKey((secretKey) => signWithSecretKey(secretKey, message));
 */
export function createSecretKeyLease(load: () => Promise<Uint8Array>): SecretKeyLease {
  let pending: { key: Promise<Uint8Array>; users: number; loaded?: Uint8Array } | undefined;

  return async (use) => {
    let batch = pending;
    if (batch === undefined) {
      const current: NonNullable<typeof pending> = { key: load(), users: 0 };
      // Registered before any user awaits the load, so it runs first: once the key is there, new calls
      // start a new load instead of joining a batch that is about to be wiped.
      current.key.then(
        (key) => {
          current.loaded = key;
          if (pending === current) pending = undefined;
        },
        () => {
          if (pending === current) pending = undefined;
        },
      );
      pending = current;
      batch = current;
    }
    batch.users++;
    try {
      return use(await batch.key);
    } finally {
      batch.users--;
      if (batch.users === 0) batch.loaded?.fill(0);
    }
  };
}
