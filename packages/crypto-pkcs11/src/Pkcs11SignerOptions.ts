import { isBytes } from "@kontist-auth/crypto/backend";
import type { KeyPairSpec } from "./key/findOrGenerateKeyPair";
import type { TokenSelector } from "./token/openTokenSession";

/** The options of {@link createPkcs11Signer} shared by both ways of choosing the token. */
export interface Pkcs11SignerBaseOptions {
  /**
   * Path of the token vendor's PKCS#11 library, e.g. `/usr/lib/softhsm/libsofthsm2.so`. Loaded and
   * initialised once per process however many signers use it, finalised when the last one closes.
   */
  module: string;
  /**
   * The user PIN. Used once to log in (`C_Login`) and then dropped: it is not kept in the signer, and no
   * error, log line, `JSON.stringify` or `util.inspect` output contains it.
   */
  pin: string;
  /** `CKA_LABEL` of the key pair: the stable name it is created, found and deleted by. */
  keyLabel: string;
  /**
   * `CKA_ID` of the key pair. When given, the key is found by label and id, and generated with this id.
   * Default: found by label alone; generated with a random 16-byte id that links its two halves.
   */
  keyId?: Uint8Array;
  /**
   * Generate the key pair inside the token when none matches. Default `true`; with `false` a missing key
   * is a {@link Pkcs11KeyNotFoundError}.
   */
  createIfMissing?: boolean;
  /**
   * Sign on a login that another component of this process made. PKCS#11 keeps one login per token and
   * process, and `C_Login` then answers `CKR_USER_ALREADY_LOGGED_IN` whatever the PIN, so the `pin` given
   * proves nothing; checking it would mean logging the other component out. Default `false`: such a login
   * is refused with `Pkcs11AlreadyLoggedInError`. With `true`, the signer uses it (and leaves the
   * logout to its owner); a login the signer makes itself still checks the PIN.
   */
  shareExistingLogin?: boolean;
  /**
   * Use a private key found on the token even if it can leave it: `CKA_SENSITIVE` false,
   * `CKA_EXTRACTABLE` true, or either once so (`CKA_ALWAYS_SENSITIVE` / `CKA_NEVER_EXTRACTABLE` false),
   * e.g. a key imported from a backup on purpose. Default `false`: such a key is refused with
   * `Pkcs11ExtractableKeyError`, since a copy of it may exist outside the token. Keys this signer
   * generates are never extractable.
   */
  allowExtractableKeys?: boolean;
}

/**
 * Options of {@link createPkcs11Signer}: the module, the token by `tokenLabel` (its label, as
 * `softhsm2-util --show-slots` or `pkcs11-tool -L` print it) or by `slot` (the index, from 0, in the list
 * of slots that hold a token), the PIN and the key's label.
 */
export type Pkcs11SignerOptions = Pkcs11SignerBaseOptions &
  ({ tokenLabel: string; slot?: undefined } | { slot: number; tokenLabel?: undefined });

/** {@link Pkcs11SignerOptions} checked, with defaults applied, as the parts of the signer use them. */
export interface ResolvedPkcs11Options {
  /** The library path. */
  module: string;
  /** Which token: by label or by slot index. */
  token: TokenSelector;
  /** Whether a login another component made may be used. */
  shareExistingLogin: boolean;
  /** Which key pair, and what to do when it is missing or extractable. */
  key: KeyPairSpec;
}

/**
 * Checks the options of {@link createPkcs11Signer} and applies their defaults (`createIfMissing: true`,
 * `shareExistingLogin: false`, `allowExtractableKeys: false`); copies `keyId`. Messages never echo a
 * value (the PIN above all). The PIN is not part of the result: the caller passes it to the login once.
 *
 * @throws {TypeError} when an option has the wrong type, or not exactly one of `tokenLabel` / `slot` is given.
 */
export function resolvePkcs11Options(options: Pkcs11SignerOptions): ResolvedPkcs11Options {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createPkcs11Signer: options must be an object.");
  }
  const {
    module,
    tokenLabel,
    slot,
    pin,
    keyLabel,
    keyId,
    createIfMissing = true,
    shareExistingLogin = false,
    allowExtractableKeys = false,
  } = options;
  if (typeof module !== "string" || module === "") {
    throw new TypeError("createPkcs11Signer: module must be the path of a PKCS#11 library.");
  }
  if ((tokenLabel === undefined) === (slot === undefined)) {
    throw new TypeError("createPkcs11Signer: give exactly one of tokenLabel and slot.");
  }
  if (tokenLabel !== undefined && (typeof tokenLabel !== "string" || tokenLabel === "")) {
    throw new TypeError("createPkcs11Signer: tokenLabel must be a non-empty string.");
  }
  if (slot !== undefined && (!Number.isSafeInteger(slot) || slot < 0)) {
    throw new TypeError(
      "createPkcs11Signer: slot must be an integer ≥ 0 (an index into the slots with a token).",
    );
  }
  if (typeof pin !== "string") throw new TypeError("createPkcs11Signer: pin must be a string.");
  if (typeof keyLabel !== "string" || keyLabel === "") {
    throw new TypeError("createPkcs11Signer: keyLabel must be a non-empty string.");
  }
  if (keyId !== undefined && (!isBytes(keyId) || keyId.length === 0)) {
    throw new TypeError("createPkcs11Signer: keyId must be a non-empty Uint8Array.");
  }
  for (const [name, value] of Object.entries({ createIfMissing, shareExistingLogin, allowExtractableKeys })) {
    if (typeof value !== "boolean") throw new TypeError(`createPkcs11Signer: ${name} must be a boolean.`);
  }
  return {
    module,
    token: tokenLabel !== undefined ? { tokenLabel } : { slot: slot as number },
    shareExistingLogin,
    key: {
      label: keyLabel,
      id: keyId === undefined ? undefined : Uint8Array.from(keyId),
      createIfMissing,
      allowExtractableKeys,
    },
  };
}
