import type { GrantType, MfaChallengeStatus } from "@kontist-auth/protocol";
import type { SandboxEmail, SandboxFaultKind, SandboxSms } from "@kontist-auth/protocol/sandbox";
import type { ResolvedUserSeed } from "../options/SandboxOptions";
import type { SandboxClientSeed } from "../seeds/defaultSeeds";

/** A seeded OAuth2 client. */
export interface ClientRecord {
  id: string;
  /** Absent for a public client. */
  secret: string | undefined;
  grants: readonly GrantType[];
  scopes: readonly string[];
  redirectUris: readonly string[];
}

/** A seeded user. */
export interface UserRecord {
  id: string;
  email: string;
  password: string;
  mobileNumber: string;
  /** The IBAN of the main account. */
  iban: string;
  /** The balance of the main account, in cents. */
  balance: number;
}

/**
 * A refresh token, kept server-side; the token itself is an opaque random string of which only the
 * SHA-256 hash is stored (the key of {@link SandboxStore.refreshTokens}).
 */
export interface RefreshTokenRecord {
  userId: string;
  clientId: string;
  scopes: readonly string[];
  /** The sign-in session its access tokens carry (`sid`). */
  sessionId: string;
  /**
   * The confirmation its access tokens carry (`cnf: { kid: deviceId }`): a device, or the id of a push
   * challenge approved through `/sandbox/`. A refresh needs that device to be still bound.
   */
  deviceId: string | undefined;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Tokens rotated from one another share a family; reusing one revokes the family. */
  familyId: string;
  /** Set once the token was rotated away or its family was revoked. */
  revoked: boolean;
}

/** A device registered with `POST /api/user/devices`; listed once verified. */
export interface DeviceRecord {
  id: string;
  userId: string;
  name: string;
  /** The public key as 130 lower-case hex characters (`04‖X‖Y`). */
  keyHex: string;
  /** ISO 8601. */
  createdAt: string;
  verified: boolean;
  /**
   * The device binding request whose confirmation allowed the device (its window also bounds the
   * verification); unset when the sandbox runs without `requireDeviceBindingRequest`.
   */
  bindingRequestId: string | undefined;
}

/**
 * A device binding request (`createDeviceBindingRequest`), confirmed or rejected by the user by e-mail or
 * from a bound device. Times are epoch milliseconds.
 */
export interface DeviceBindingRequestRecord {
  id: string;
  userId: string;
  deviceName: string;
  /** The `deviceId` the app passed, if any; recorded, not checked. */
  deviceId: string | undefined;
  /** The caller's IP address. */
  ipAddress: string;
  /** A readable place for `ipAddress`. */
  address: string;
  createdAt: number;
  confirmedAt: number | undefined;
  rejectedAt: number | undefined;
  /** The device created with this confirmation; one confirmed request allows one device. */
  usedByDeviceId: string | undefined;
}

/**
 * Something a device answers with a signature, once: the SMS one-time password of a device verification
 * or the `stringToSign` of a device challenge.
 */
export interface SignatureChallengeRecord {
  id: string;
  deviceId: string;
  userId: string;
  /** The string the device signs (the OTP, or `stringToSign`). */
  message: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Wrong signatures still tolerated; at 0 the challenge is dead. */
  attemptsLeft: number;
  used: boolean;
}

/**
 * An authorization code (RFC 6749 §4.1.2), kept by the hash of the code: single-use, short-lived, bound
 * to its client, redirect URI and PKCE challenge.
 */
export interface AuthorizationCodeRecord {
  clientId: string;
  userId: string;
  /** The `redirect_uri` of the authorization request, which the token request must repeat exactly. */
  redirectUri: string;
  scopes: readonly string[];
  /** The S256 `code_challenge` (RFC 7636 §4.2), when the request had one. */
  codeChallenge: string | undefined;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Set by the first token request that presents the code; a second one is a replay. */
  used: boolean;
  /** The family of the refresh tokens issued from the code, revoked when the code is replayed. */
  familyId: string;
  /** The sign-in session (the login session's) its tokens carry as `sid`. */
  sessionId: string;
  /** Set when the login passed MFA: the token's `cnf.kid` (the approving device, or the challenge id). */
  deviceId?: string | undefined;
}

/** A login session of the authorization page, kept by the hash of its cookie. */
export interface LoginSessionRecord {
  userId: string;
  /** The sign-in session every token of this login carries as `sid` (a UUID, not the cookie). */
  sessionId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Set when the login passed MFA: every code of the session is confirmed with this `cnf.kid`. */
  deviceId?: string | undefined;
}

/**
 * A login waiting for its MFA approval (the right password was given, the push challenge is pending),
 * kept by the hash of the opaque value the waiting page carries; never the password.
 */
export interface PendingLoginRecord {
  userId: string;
  /** The push MFA challenge the user answers on their phone. */
  challengeId: string;
  /** The authorization request's parameters; the continuation must repeat them. */
  parameters: Readonly<Record<string, string>>;
}

/** A push-notification MFA challenge (`POST /api/user/mfa/challenges`). */
export interface MfaChallengeRecord {
  id: string;
  userId: string;
  /** The client and scopes of the token that created it; the confirmed token gets the same. */
  clientId: string;
  scopes: readonly string[];
  /**
   * The sign-in session (`sid`) of the token that created it: only a token of that session and client
   * may take its confirmed token, and no token of that session may approve it. Unset for the challenge
   * of a login on the authorization page, which only that login continues.
   */
  sessionId: string | undefined;
  status: MfaChallengeStatus;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The bound device that approved it (the approving token's `cnf.kid`); unset for a sandbox approval. */
  deviceId: string | undefined;
  /** Set once its confirmed token was handed out; there is only one. */
  tokenIssued: boolean;
}

/** A transaction booked with `POST /sandbox/transactions` on a user's main account. */
export interface TransactionRecord {
  id: string;
  userId: string;
  /** In cents; negative for money going out. */
  amount: number;
  /** The counterparty, if given. */
  name: string | undefined;
  /** Epoch milliseconds. */
  bookedAt: number;
}

/** A fault armed with `POST /sandbox/faults`. */
export interface FaultRecord {
  id: string;
  /** The route key, `METHOD /path/{pattern}`, as in `/sandbox/stats`. */
  route: string;
  fault: SandboxFaultKind;
  /** Requests it will still fail. */
  times: number;
  delayMs: number;
  /** The status of an `error` fault. */
  status: number;
}

/** Counters behind `GET /sandbox/stats`. */
export interface StatsRecord {
  /** Requests per `METHOD /route/{pattern}`. */
  requests: Map<string, number>;
  /** Token requests per `grant_type`. */
  grants: Map<string, number>;
}

/**
 * All the sandbox's state, in memory, in one object, so every area (OAuth2, devices, push MFA, …) reads
 * and writes the same place and `reset()` brings all of it back to the seeds.
 */
export interface SandboxStore {
  readonly clients: Map<string, ClientRecord>;
  /** By user id. */
  readonly users: Map<string, UserRecord>;
  /** By SHA-256 hash (base64url) of the token. */
  readonly refreshTokens: Map<string, RefreshTokenRecord>;
  readonly devices: Map<string, DeviceRecord>;
  /** Device verifications (the SMS OTP), by challenge id. */
  readonly deviceVerifications: Map<string, SignatureChallengeRecord>;
  /** Device challenges (`stringToSign`), by challenge id. */
  readonly deviceChallenges: Map<string, SignatureChallengeRecord>;
  /** By SHA-256 hash (base64url) of the code. */
  readonly authorizationCodes: Map<string, AuthorizationCodeRecord>;
  /** By SHA-256 hash (base64url) of the session cookie. */
  readonly loginSessions: Map<string, LoginSessionRecord>;
  /** Logins waiting for MFA, by SHA-256 hash (base64url) of their reference. */
  readonly pendingLogins: Map<string, PendingLoginRecord>;
  /** Push-notification MFA challenges, by id, oldest first. */
  readonly mfaChallenges: Map<string, MfaChallengeRecord>;
  /** Device binding requests, by id, oldest first. */
  readonly deviceBindingRequests: Map<string, DeviceBindingRequestRecord>;
  /** Transactions booked with `POST /sandbox/transactions`, by id, oldest first. */
  readonly transactions: Map<string, TransactionRecord>;
  /** When each user registered devices (`POST /api/user/devices`), epoch milliseconds, oldest first. */
  readonly deviceRegistrations: Map<string, number[]>;
  /** Requests let through by `rateLimit`, epoch milliseconds, oldest first, by access token or IP. */
  readonly rateLimitWindows: Map<string, number[]>;
  /** Every SMS "sent", oldest first. */
  readonly sms: SandboxSms[];
  /** Every e-mail "sent" (device binding confirmations), oldest first. */
  readonly emails: SandboxEmail[];
  /** Armed faults, in the order they apply. */
  readonly faults: FaultRecord[];
  readonly stats: StatsRecord;
  /** Finds a user by login name, case-insensitively. */
  findUserByEmail(email: string): UserRecord | undefined;
  /** Adds one to a counter. */
  count(counter: keyof StatsRecord, key: string): void;
  /**
   * Spends one use of the first fault armed for `route`, if any.
   *
   * @returns a copy of that fault, or `undefined` when no fault is armed for the route.
   */
  takeFault(route: string): FaultRecord | undefined;
  /** Drops everything but the seeds. */
  reset(): void;
}

/** Creates the store, filled with `seeds`. */
export function createSandboxStore(seeds: {
  clients: readonly SandboxClientSeed[];
  users: readonly ResolvedUserSeed[];
}): SandboxStore {
  const store: SandboxStore = {
    clients: new Map(),
    users: new Map(),
    refreshTokens: new Map(),
    devices: new Map(),
    deviceVerifications: new Map(),
    deviceChallenges: new Map(),
    authorizationCodes: new Map(),
    loginSessions: new Map(),
    pendingLogins: new Map(),
    mfaChallenges: new Map(),
    deviceBindingRequests: new Map(),
    transactions: new Map(),
    deviceRegistrations: new Map(),
    rateLimitWindows: new Map(),
    sms: [],
    emails: [],
    faults: [],
    stats: { requests: new Map(), grants: new Map() },
    findUserByEmail(email) {
      const wanted = email.toLowerCase();
      for (const user of store.users.values()) if (user.email.toLowerCase() === wanted) return user;
      return undefined;
    },
    count(counter, key) {
      const map = store.stats[counter];
      map.set(key, (map.get(key) ?? 0) + 1);
    },
    takeFault(route) {
      const index = store.faults.findIndex((fault) => fault.route === route);
      const fault = store.faults[index];
      if (fault === undefined) return undefined;
      fault.times -= 1;
      if (fault.times <= 0) store.faults.splice(index, 1);
      return { ...fault };
    },
    reset() {
      store.clients.clear();
      store.users.clear();
      store.refreshTokens.clear();
      store.devices.clear();
      store.deviceVerifications.clear();
      store.deviceChallenges.clear();
      store.authorizationCodes.clear();
      store.loginSessions.clear();
      store.pendingLogins.clear();
      store.mfaChallenges.clear();
      store.deviceBindingRequests.clear();
      store.transactions.clear();
      store.deviceRegistrations.clear();
      store.rateLimitWindows.clear();
      store.sms.length = 0;
      store.emails.length = 0;
      store.faults.length = 0;
      store.stats.requests.clear();
      store.stats.grants.clear();
      for (const client of seeds.clients) {
        store.clients.set(client.id, {
          id: client.id,
          secret: client.secret,
          grants: [...client.grants],
          scopes: [...client.scopes],
          redirectUris: [...(client.redirectUris ?? [])],
        });
      }
      for (const user of seeds.users) {
        store.users.set(user.id, {
          id: user.id,
          email: user.email,
          password: user.password,
          mobileNumber: user.mobileNumber,
          iban: user.iban,
          balance: user.balance,
        });
      }
    },
  };
  store.reset();
  return store;
}
