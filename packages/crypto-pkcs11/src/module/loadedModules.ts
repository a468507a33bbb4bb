import { createHmac, randomBytes } from "node:crypto";
import { realpathSync } from "node:fs";
import { Module } from "graphene-pk11";
import {
  CKF_OS_LOCKING_OK,
  CKR_CANT_LOCK,
  CKR_CRYPTOKI_ALREADY_INITIALIZED,
  describeReturnValue,
  returnValueOf,
} from "../cryptoki/returnValues";
import { Pkcs11ModuleError } from "../errors";
import { createOperationQueue, type OperationQueue } from "../session/createOperationQueue";

/** A token's login state, shared by every signer of this process on the token (PKCS#11 v2.40 §5.6). */
export interface TokenLogin {
  /** Open sessions of our signers on the token; the last one to close logs out. */
  sessions: number;
  /** Whether our `C_Login` logged the user in (if not, someone else in the process did, and logs out). */
  readonly loggedInHere: boolean;
  /** HMAC of the PIN that logged in, to refuse a later signer with another PIN; absent if not ours. */
  readonly pinDigest: Buffer | undefined;
}

/** A PKCS#11 library loaded and initialised once per process, shared by the signers that use it. */
export interface LoadedModule {
  readonly path: string;
  /** The registry key: the library's real path, so two paths to one file share one module. */
  readonly key: string;
  readonly module: Module;
  /**
   * Whether calls may run on libuv worker threads (pkcs11js's callback variants): only when we
   * initialised the library with `CKF_OS_LOCKING_OK`. Otherwise every call is made synchronously from
   * the JavaScript thread, which serialises them.
   */
  readonly threaded: boolean;
  /** Whether our `C_Initialize` initialised the library, so ours is the `C_Finalize` to call. */
  readonly initializedHere: boolean;
  /** Serialises key lookup and generation, so two signers created at once over one label make one key. */
  readonly keySetup: OperationQueue;
  /** Login state per slot, keyed by the slot id (hex). */
  readonly logins: Map<string, TokenLogin>;
  /** Signers (and signers being created) using the module. */
  users: number;
}

interface Registry {
  readonly modules: Map<string, LoadedModule>;
  readonly pinKey: Buffer;
}

// The native library's state is per process, so the registry is too: kept on globalThis, it is shared by
// the ESM and CJS builds of this package when an app happens to load both.
const registryKey = Symbol.for("@kontist-auth/crypto-pkcs11/registry");
const registry: Registry = sharedRegistry();

function sharedRegistry(): Registry {
  const global = globalThis as Record<symbol, Registry | undefined>;
  const existing = global[registryKey];
  if (existing !== undefined) return existing;
  const created: Registry = { modules: new Map(), pinKey: randomBytes(32) };
  global[registryKey] = created;
  return created;
}

/**
 * Loads and initialises the PKCS#11 library at `path`, or shares the copy already loaded, and counts one
 * more user. Pair every call with {@link releaseModule}.
 *
 * @throws {Pkcs11ModuleError} when the library cannot be loaded or `C_Initialize` fails.
 */
export function acquireModule(path: string): LoadedModule {
  const key = registryKeyOf(path);
  const existing = registry.modules.get(key);
  if (existing !== undefined) {
    existing.users++;
    return existing;
  }

  let module: Module;
  try {
    module = Module.load(path);
  } catch (cause) {
    throw new Pkcs11ModuleError(
      `Could not load the PKCS#11 module "${path}": ${loadFailureReason(cause)}. Check the path and that the library matches this platform.`,
      { cause },
    );
  }

  let initializedHere = true;
  let threaded = true;
  try {
    initialize(module);
  } catch (cause) {
    const value = returnValueOf(cause);
    if (value === CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      // Someone else in this process initialised it, with flags we cannot know: stay on one thread,
      // and leave C_Finalize to them.
      initializedHere = false;
      threaded = false;
    } else if (value === CKR_CANT_LOCK) {
      threaded = false;
      try {
        module.lib.C_Initialize();
      } catch (retryCause) {
        closeQuietly(module);
        throw initializeError(path, retryCause);
      }
    } else {
      closeQuietly(module);
      throw initializeError(path, cause);
    }
  }

  const loaded: LoadedModule = {
    path,
    key,
    module,
    threaded,
    initializedHere,
    keySetup: createOperationQueue(),
    logins: new Map(),
    users: 1,
  };
  registry.modules.set(key, loaded);
  return loaded;
}

/**
 * Counts one user less; the last one finalises the library (when we initialised it) and unloads it.
 * Errors of `C_Finalize` are ignored: there is nothing left to use or to retry.
 */
export function releaseModule(loaded: LoadedModule): void {
  loaded.users--;
  if (loaded.users > 0) return;
  registry.modules.delete(loaded.key);
  if (loaded.initializedHere) {
    try {
      loaded.module.finalize();
    } catch {
      // already finalised by someone else
    }
  }
  closeQuietly(loaded.module);
}

/** A keyed digest of a PIN, comparable within this process and useless outside it. */
export function pinDigestOf(pin: string): Buffer {
  return createHmac("sha256", registry.pinKey).update(pin, "utf8").digest();
}

function initialize(module: Module): void {
  // Not module.initialize(): graphene swallows CKR_CRYPTOKI_ALREADY_INITIALIZED, and we need to know.
  module.lib.C_Initialize({ flags: CKF_OS_LOCKING_OK });
}

function initializeError(path: string, cause: unknown): Pkcs11ModuleError {
  return new Pkcs11ModuleError(
    `Could not initialise the PKCS#11 module "${path}" (C_Initialize: ${describeReturnValue(cause)}).`,
    { cause },
  );
}

/** The first line of a dlopen failure (it names the missing file or symbol), or the CKR name. */
function loadFailureReason(cause: unknown): string {
  if (returnValueOf(cause) !== undefined) return describeReturnValue(cause);
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.split("\n", 1)[0]?.trim() || "unknown error";
}

function closeQuietly(module: Module): void {
  try {
    module.close();
  } catch {
    // the library is unloaded either way
  }
}

/** Two paths to one file share one loaded module: the library's state (C_Initialize) is per file. */
function registryKeyOf(path: string): string {
  if (!path.includes("/") && !path.includes("\\")) return path; // a bare name the dynamic loader resolves
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
