import { createHash } from "node:crypto";
import { type P256Signer, SignerError } from "@kontist-auth/crypto";
import { assertSignMessage, normalizeLowS } from "@kontist-auth/crypto/backend";
import type { PrivateKey, Session } from "graphene-pk11";
import {
  CKR_KEY_HANDLE_INVALID,
  CKR_OBJECT_HANDLE_INVALID,
  CKS_USER_STATES,
  describeReturnValue,
  returnValueOf,
} from "./cryptoki/returnValues";
import { Pkcs11KeyNotFoundError, Pkcs11OperationError, Pkcs11SignerClosedError } from "./errors";
import { findOrGenerateKeyPair, type TokenKeyPair } from "./key/findOrGenerateKeyPair";
import { acquireModule, type LoadedModule, releaseModule } from "./module/loadedModules";
import { type Pkcs11SignerOptions, resolvePkcs11Options } from "./Pkcs11SignerOptions";
import { createOperationQueue } from "./session/createOperationQueue";
import { openTokenSession, type TokenSession } from "./token/openTokenSession";

/** A {@link P256Signer} over a key pair inside a PKCS#11 token. */
export interface Pkcs11Signer extends P256Signer {
  /** `CKA_LABEL` of the key pair. */
  readonly keyLabel: string;
  /** `CKA_ID` of the key pair (a copy; empty when the token's key has none). */
  readonly keyId: Uint8Array;
  /** Whether `createPkcs11Signer` generated the key pair (a new key to register as a device). */
  readonly generated: boolean;
  /**
   * Destroys both halves of the key pair on the token and closes the signer; afterwards `sign` and
   * `getPublicKey` reject with {@link Pkcs11KeyNotFoundError}. Waits for signs already started. Calling it
   * again resolves.
   * @throws {Pkcs11OperationError} when the token refuses to destroy the key (the signer stays open).
   * @throws {Pkcs11SignerClosedError} when the signer was closed before.
   */
  deleteKey(): Promise<void>;
  /**
   * Logs out (when this is the process's last session on the token) and closes the signer's session,
   * after the signs already started; finalises the module when no other signer uses it. The key stays
   * on the token. Calling it again resolves.
   */
  close(): Promise<void>;
}

type SignerState =
  | { kind: "open"; tokenSession: TokenSession; keyPair: TokenKeyPair }
  | { kind: "closed" }
  | { kind: "deleted" };

/**
 * Creates a P-256 signer whose private key is generated and kept inside a PKCS#11 token (an HSM, a smart
 * card, SoftHSM2) through graphene-pk11, and never leaves it: `CKA_TOKEN`, `CKA_PRIVATE`,
 * `CKA_SENSITIVE` true, `CKA_EXTRACTABLE` false. Loads the module, finds the token, logs in, finds the
 * key pair by label (and id) or generates it, and keeps one read/write session open until `close()` or
 * `deleteKey()`.
 *
 * `sign(message)` hashes with SHA-256 in process and signs the digest with `CKM_ECDSA` (PKCS#11 v2.40
 * §2.3.6; tokens such as SoftHSM2 do not all offer `CKM_ECDSA_SHA256`), returning low-S `r‖s`. Calls on
 * one signer run one at a time on its session (a PKCS#11 session is single-threaded), off the JavaScript
 * thread when the module allows it; concurrent calls simply queue.
 *
 * @param options - see {@link Pkcs11SignerOptions}.
 * @throws {TypeError} when an option has the wrong type, or not exactly one of `tokenLabel` / `slot` is given.
 * @throws {Pkcs11ModuleError} (`PKCS11_MODULE_LOAD_FAILED`) when the library cannot be loaded or initialised.
 * @throws {Pkcs11TokenNotFoundError} (`PKCS11_TOKEN_NOT_FOUND`) when no token has the label / no slot has the index.
 * @throws {Pkcs11LoginError} (`PKCS11_LOGIN_FAILED`) when the PIN is wrong or locked.
 * @throws {Pkcs11AlreadyLoggedInError} (`PKCS11_ALREADY_LOGGED_IN`) when another component of the process is
 *   logged in to the token and `shareExistingLogin` is not set.
 * @throws {Pkcs11ExtractableKeyError} (`PKCS11_KEY_EXTRACTABLE`) when the key found on the token can leave
 *   it, or once could, and `allowExtractableKeys` is not set.
 * @throws {Pkcs11KeyNotFoundError} (`PKCS11_KEY_NOT_FOUND`) when the key is missing and `createIfMissing` is false.
 * @throws {Pkcs11InvalidKeyError} (`PKCS11_INVALID_KEY`) when the label matches several keys, half a pair, or not P-256.
 * @throws {Pkcs11OperationError} (`PKCS11_OPERATION_FAILED`) when opening a session, searching or generating fails.
 *
 * @example
 * import { createInterface } from "node:readline/promises";
 *
 * const signer = await createPkcs11Signer({
 *   module: "/usr/lib/softhsm/libsofthsm2.so",
 *   tokenLabel: "kontist",
 *   pin: process.env.PKCS11_PIN ?? "",
 *   keyLabel: "kontist-device",
 * });
 * const terminal = createInterface({ input: process.stdin, output: process.stdout });
 * try {
 *   const otp = () => terminal.question("The code we sent you by SMS: ");
 *   const { deviceId } = await client.auth.device.bind({ signer, name: "HSM", otp });
 *   await client.auth.device.confirm({ signer, deviceId });
 * } finally {
 *   terminal.close();
 *   await signer.close();
 * }
 */
export async function createPkcs11Signer(options: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
  const settings = resolvePkcs11Options(options);
  const loaded = acquireModule(settings.module);
  let tokenSession: TokenSession | undefined;
  let keyPair: TokenKeyPair;
  try {
    tokenSession = openTokenSession(loaded, settings.token, {
      pin: options.pin,
      shareExistingLogin: settings.shareExistingLogin,
    });
    const context = {
      session: tokenSession.session,
      tokenName: tokenSession.tokenName,
      threaded: loaded.threaded,
    };
    keyPair = await loaded.keySetup.run(() => findOrGenerateKeyPair(context, settings.key));
  } catch (error) {
    tokenSession?.close();
    releaseModule(loaded);
    throw error;
  }
  return signerOver(loaded, tokenSession, keyPair, settings.key.label);
}

function signerOver(
  loaded: LoadedModule,
  tokenSession: TokenSession,
  keyPair: TokenKeyPair,
  keyLabel: string,
): Pkcs11Signer {
  const { tokenName } = tokenSession;
  const keyName = `The key ${JSON.stringify(keyLabel)} on ${tokenName}`;
  const queue = createOperationQueue();
  let state: SignerState = { kind: "open", tokenSession, keyPair };

  function opened(): Extract<SignerState, { kind: "open" }> {
    if (state.kind === "deleted") throw new Pkcs11KeyNotFoundError(`${keyName} was deleted.`);
    if (state.kind === "closed") {
      throw new Pkcs11SignerClosedError(`The PKCS#11 signer of ${keyName} is closed.`);
    }
    return state;
  }

  function shutDown(open: Extract<SignerState, { kind: "open" }>, next: SignerState): void {
    state = next;
    open.tokenSession.close();
    releaseModule(loaded);
  }

  return Object.freeze({
    keyLabel,
    get keyId(): Uint8Array {
      return Uint8Array.from(keyPair.id);
    },
    generated: keyPair.generated,

    async getPublicKey(): Promise<Uint8Array> {
      return Uint8Array.from(opened().keyPair.point);
    },

    async sign(message: Uint8Array): Promise<Uint8Array> {
      assertSignMessage(message);
      const digest = createHash("sha256").update(message).digest();
      return queue.run(async () => {
        const open = opened();
        let rs: Uint8Array;
        try {
          rs = await signDigest(open.tokenSession.session, open.keyPair.privateKey, digest, loaded.threaded);
        } catch (cause) {
          throw signFailure(cause, open.tokenSession.session, keyName, tokenName);
        }
        if (rs.length !== 64) {
          throw new SignerError(
            `${tokenName} returned a ${rs.length}-byte signature; P-256 r‖s is 64 bytes.`,
          );
        }
        try {
          return normalizeLowS(rs);
        } catch (cause) {
          throw new SignerError(`${tokenName} returned a signature whose r or s is outside [1, n−1].`, {
            cause,
          });
        }
      });
    },

    deleteKey(): Promise<void> {
      return queue.run(() => {
        if (state.kind === "deleted") return;
        const open = opened();
        destroyQuietlyIfGone(open.keyPair.privateKey, tokenName);
        destroyQuietlyIfGone(open.keyPair.publicKey, tokenName);
        shutDown(open, { kind: "deleted" });
      });
    },

    close(): Promise<void> {
      return queue.run(() => {
        if (state.kind === "open") shutDown(state, { kind: "closed" });
      });
    },
  });
}

/** `CKM_ECDSA` over a SHA-256 digest; the token returns `r‖s` (PKCS#11 v2.40 §2.3.1). */
function signDigest(
  session: Session,
  key: PrivateKey,
  digest: Buffer,
  threaded: boolean,
): Promise<Uint8Array> {
  if (!threaded) return Promise.resolve(new Uint8Array(session.createSign("ECDSA", key).once(digest)));
  return new Promise((resolve, reject) => {
    try {
      session.createSign("ECDSA", key).once(digest, (error, signature) => {
        if (error) reject(error);
        else resolve(new Uint8Array(signature));
      });
    } catch (error) {
      reject(error);
    }
  });
}

/**
 * The error for a failed sign: a handle that is no longer valid means the key was deleted, unless the
 * session lost its login (a private key is invisible then; PKCS#11 v2.40 §4.1.2).
 */
function signFailure(cause: unknown, session: Session, keyName: string, tokenName: string): Error {
  const reason = describeReturnValue(cause);
  if (!isLoggedIn(session)) {
    return new SignerError(`${tokenName} failed to sign: the session is no longer logged in (${reason}).`, {
      cause,
    });
  }
  if (isKeyGone(cause)) return new Pkcs11KeyNotFoundError(`${keyName} is gone (${reason}).`, { cause });
  return new SignerError(`${tokenName} failed to sign (C_Sign: ${reason}).`, { cause });
}

function isLoggedIn(session: Session): boolean {
  try {
    return CKS_USER_STATES.includes(session.lib.C_GetSessionInfo(session.handle).state);
  } catch {
    return false; // the session itself is gone
  }
}

/** Destroys a key object; one already gone (deleted by another signer or tool) is fine. */
function destroyQuietlyIfGone(key: { destroy(): void }, tokenName: string): void {
  try {
    key.destroy();
  } catch (cause) {
    if (isKeyGone(cause)) return;
    throw new Pkcs11OperationError(
      `Could not delete the key on ${tokenName} (C_DestroyObject: ${describeReturnValue(cause)}).`,
      { cause },
    );
  }
}

function isKeyGone(error: unknown): boolean {
  const value = returnValueOf(error);
  return value === CKR_KEY_HANDLE_INVALID || value === CKR_OBJECT_HANDLE_INVALID;
}
