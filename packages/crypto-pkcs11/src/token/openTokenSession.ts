import { timingSafeEqual } from "node:crypto";
import { type Session, SessionFlag, type Slot, UserType } from "graphene-pk11";
import { CKR_USER_ALREADY_LOGGED_IN, describeReturnValue, returnValueOf } from "../cryptoki/returnValues";
import {
  Pkcs11AlreadyLoggedInError,
  Pkcs11LoginError,
  Pkcs11OperationError,
  Pkcs11TokenNotFoundError,
} from "../errors";
import { type LoadedModule, pinDigestOf } from "../module/loadedModules";

/** Which token to use: by its label (`CKA_LABEL` of the token info), or by the index of its slot. */
export type TokenSelector = { tokenLabel: string } | { slot: number };

/** A read/write session on a token, with the user logged in. */
export interface TokenSession {
  readonly session: Session;
  /** The token, for messages: `token "label"`. */
  readonly tokenName: string;
  /** Logs out if this is the process's last session on the token and we logged in, then closes it. */
  close(): void;
}

/** How {@link openTokenSession} logs in. */
export interface LoginOptions {
  /** The user PIN. */
  pin: string;
  /**
   * Use a login that another component of this process made (`CKR_USER_ALREADY_LOGGED_IN`), although the
   * PIN cannot be checked against it. Without it, such a login is refused.
   */
  shareExistingLogin: boolean;
}

/**
 * Finds the token, opens a read/write session on it and logs the user in with the PIN. Login state is per
 * token and per process in PKCS#11 (every session of the application shares it), so the first signer on a
 * token logs in, later ones only check that their PIN is the same, and the last one to close logs out. A
 * login made by another component of the process is used only with `shareExistingLogin`.
 *
 * @throws {Pkcs11TokenNotFoundError} when no present token has the label, or the slot index is out of range.
 * @throws {Pkcs11LoginError} when `C_Login` fails (wrong or locked PIN) or the PIN differs from the one
 *   this process is logged in with.
 * @throws {Pkcs11AlreadyLoggedInError} when another component of the process is logged in and
 *   `shareExistingLogin` is false.
 * @throws {Pkcs11OperationError} when the slots cannot be listed or the session cannot be opened.
 */
export function openTokenSession(
  loaded: LoadedModule,
  selector: TokenSelector,
  login: LoginOptions,
): TokenSession {
  const { slot, tokenName } = findSlot(loaded, selector);
  let session: Session;
  try {
    session = slot.open(SessionFlag.SERIAL_SESSION | SessionFlag.RW_SESSION);
  } catch (cause) {
    throw new Pkcs11OperationError(
      `Could not open a session on ${tokenName} (C_OpenSession: ${describeReturnValue(cause)}).`,
      { cause },
    );
  }

  const slotKey = slot.handle.toString("hex");
  try {
    logIn(loaded, slotKey, session, login, tokenName);
  } catch (error) {
    closeQuietly(session);
    throw error;
  }

  let closed = false;
  return {
    session,
    tokenName,
    close() {
      if (closed) return;
      closed = true;
      const login = loaded.logins.get(slotKey);
      if (login !== undefined && --login.sessions === 0) {
        loaded.logins.delete(slotKey);
        if (login.loggedInHere) {
          try {
            session.logout();
          } catch {
            // closing the token's last session logs out anyway (PKCS#11 v2.40 §5.6, C_CloseSession)
          }
        }
      }
      closeQuietly(session);
    },
  };
}

/** The slot of the token, and the token's name for messages: `token "label"`. */
function findSlot(loaded: LoadedModule, selector: TokenSelector): { slot: Slot; tokenName: string } {
  let slots: Slot[];
  try {
    const collection = loaded.module.getSlots(true);
    slots = Array.from({ length: collection.length }, (_, index) => collection.items(index));
  } catch (cause) {
    throw new Pkcs11OperationError(
      `Could not list the slots of the PKCS#11 module "${loaded.path}" (C_GetSlotList: ${describeReturnValue(cause)}).`,
      { cause },
    );
  }

  if ("slot" in selector) {
    const slot = slots[selector.slot];
    if (slot === undefined) {
      throw new Pkcs11TokenNotFoundError(
        `There is no slot ${selector.slot}: the PKCS#11 module "${loaded.path}" has ${slots.length} slot(s) with a token (indexes from 0).`,
      );
    }
    const label = tokenLabelOf(slot);
    return {
      slot,
      tokenName: label === undefined ? `the token in slot ${selector.slot}` : `token "${label}"`,
    };
  }

  const wanted = selector.tokenLabel.trimEnd();
  const present: string[] = [];
  for (const slot of slots) {
    const label = tokenLabelOf(slot);
    if (label === undefined) continue;
    if (label === wanted) return { slot, tokenName: `token "${label}"` };
    present.push(JSON.stringify(label));
  }
  throw new Pkcs11TokenNotFoundError(
    `No token labelled ${JSON.stringify(wanted)} is present in the PKCS#11 module "${loaded.path}"; tokens present: ${present.join(", ") || "none"}.`,
  );
}

/** The token's label without its blank padding, or `undefined` when the token cannot be read. */
function tokenLabelOf(slot: Slot): string | undefined {
  try {
    return slot.getToken().label.trimEnd();
  } catch {
    return undefined; // e.g. CKR_TOKEN_NOT_RECOGNIZED: not a token we could use anyway
  }
}

function logIn(
  loaded: LoadedModule,
  slotKey: string,
  session: Session,
  { pin, shareExistingLogin }: LoginOptions,
  tokenName: string,
) {
  const digest = pinDigestOf(pin);
  const existing = loaded.logins.get(slotKey);
  if (existing !== undefined) {
    // We are logged in already; C_Login would only answer CKR_USER_ALREADY_LOGGED_IN, even for a wrong PIN.
    if (existing.pinDigest === undefined) {
      // Another component's login, which an earlier signer was told to share: this one must be told too.
      if (!shareExistingLogin) throw alreadyLoggedIn(tokenName);
    } else if (!timingSafeEqual(existing.pinDigest, digest)) {
      throw new Pkcs11LoginError(
        `Could not log in to ${tokenName}: the PIN differs from the one this process is logged in with.`,
      );
    }
    existing.sessions++;
    return;
  }

  let loggedInHere = true;
  try {
    session.login(pin, UserType.USER);
  } catch (cause) {
    if (returnValueOf(cause) !== CKR_USER_ALREADY_LOGGED_IN) {
      throw new Pkcs11LoginError(`Could not log in to ${tokenName}: ${loginFailureReason(cause)}.`, {
        cause,
      });
    }
    // Another component of this process logged in, and C_Login answers this whatever the PIN: the PIN
    // proved nothing. Proving it would take C_Logout and C_Login again, but a logout ends the login of
    // every session of the process, the other component's included (its operations would fail meanwhile,
    // and for good after a wrong PIN, which also costs one of the token's PIN tries). So the signer does
    // not touch that login: it refuses, unless told to share it.
    if (!shareExistingLogin) throw alreadyLoggedIn(tokenName, cause);
    loggedInHere = false; // the other component logged in, and will log out
  }
  loaded.logins.set(slotKey, { sessions: 1, loggedInHere, pinDigest: loggedInHere ? digest : undefined });
}

function alreadyLoggedIn(tokenName: string, cause?: unknown): Pkcs11AlreadyLoggedInError {
  return new Pkcs11AlreadyLoggedInError(
    `Another component of this process is already logged in to ${tokenName}, so the PIN given cannot be ` +
      "checked (C_Login: CKR_USER_ALREADY_LOGGED_IN). Pass shareExistingLogin: true to sign on that login.",
    cause === undefined ? {} : { cause },
  );
}

function loginFailureReason(cause: unknown): string {
  const name = describeReturnValue(cause);
  const reason: Record<string, string> = {
    CKR_PIN_INCORRECT: "the PIN is incorrect",
    CKR_PIN_LOCKED: "the PIN is locked",
    CKR_PIN_LEN_RANGE: "the PIN has the wrong length",
    CKR_PIN_EXPIRED: "the PIN has expired",
    CKR_USER_PIN_NOT_INITIALIZED: "the token has no user PIN yet",
    CKR_USER_ANOTHER_ALREADY_LOGGED_IN: "the security officer is logged in",
  };
  return `${reason[name] ?? "C_Login failed"} (${name})`;
}

function closeQuietly(session: Session): void {
  try {
    session.close();
  } catch {
    // the session is gone either way
  }
}
