import type {
  SandboxEmail,
  SandboxFault,
  SandboxFaultRequest,
  SandboxMfaChallenge,
  SandboxSms,
  SandboxStats,
  SandboxTransaction,
  SandboxTransactionRequest,
} from "@kontist-auth/protocol/sandbox";

/**
 * A typed client of a sandbox's test-support routes (`/sandbox/*`): what a test, a demo or an app does in
 * place of the user and their phone — read the SMS and e-mail outboxes, confirm a device binding request,
 * answer a push challenge — and what it checks or breaks on the server: stats, faults, transactions, reset.
 * `sandbox.test` is one for an in-process sandbox; {@link createSandboxTestClient} makes one for a
 * sandbox running elsewhere (another process, `npx kontist-sandbox`).
 *
 * Every method makes one or two HTTP requests. Each throws a `SandboxTestClientError` with code
 * `SANDBOX_REQUEST_FAILED` (and the answer's `status`) when a route answers other than it does on success,
 * a `ResponseValidationError` (`INVALID_RESPONSE`) when an answer does not match its protocol schema, and
 * fetch's `TypeError` (or the timeout's `TimeoutError`) when the sandbox cannot be reached in time.
 *
 * @example
 * import { Client } from "@kontist-auth/client";
 * import { createSoftwareSigner } from "@kontist-auth/crypto";
 *
 * const sandbox = await startSandbox();
 * const client = new Client({ baseUrl: sandbox.url, clientId: "demo-client", clientSecret: "demo-secret" });
 * await client.auth.tokenManager.fetchTokenFromCredentials({
 *   username: "demo@example.com",
 *   password: "demo-password",
 * });
 * await client.auth.device.bind({
 *   signer: createSoftwareSigner(),
 *   name: "Test phone",
 *   onBindingRequest: (request) => sandbox.test.confirmBindingRequest(request.id),
 *   otp: () => sandbox.test.latestOtp(),
 * });
 * console.log((await sandbox.test.stats()).grants.password); // 1
 */
export interface SandboxTestClient {
  /** The sandbox's base URL, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;

  /** Every SMS the sandbox "sent", oldest first (`GET /sandbox/sms`). */
  sms(): Promise<SandboxSms[]>;
  /**
   * The one-time password of the newest SMS, as the user reads it on their phone; with `to`, of the newest
   * SMS to that mobile number (e.g. `+4915100000000`).
   *
   * @throws {SandboxTestClientError} `SANDBOX_NOTHING_SENT` when no such SMS was sent.
   */
  latestOtp(to?: string): Promise<string>;
  /** Every e-mail the sandbox "sent" (device binding confirmations), oldest first (`GET /sandbox/emails`). */
  emails(): Promise<SandboxEmail[]>;
  /**
   * The newest e-mail about device binding request `requestId`: its `to`, `subject` and the `link` the user
   * would click.
   *
   * @throws {SandboxTestClientError} `SANDBOX_NOTHING_SENT` when none was sent.
   */
  bindingRequestEmail(requestId: string): Promise<SandboxEmail>;
  /**
   * Confirms a device binding request as the user does with the link of its e-mail; a device may then be
   * created within the binding window.
   *
   * @throws {SandboxTestClientError} `SANDBOX_REQUEST_FAILED` with status 404 for an unknown request, 409
   *   for one already confirmed or rejected.
   */
  confirmBindingRequest(requestId: string): Promise<void>;
  /**
   * Rejects a device binding request as the user does with the link of its e-mail.
   *
   * @throws {SandboxTestClientError} `SANDBOX_REQUEST_FAILED` with status 404 for an unknown request, 409
   *   for one already confirmed or rejected.
   */
  rejectBindingRequest(requestId: string): Promise<void>;

  /** Every push MFA challenge of every user, whatever its state, oldest first (`GET /sandbox/mfa/challenges`). */
  mfaChallenges(): Promise<SandboxMfaChallenge[]>;
  /**
   * Approves a pending push MFA challenge as the user's phone would.
   *
   * @throws {SandboxTestClientError} `SANDBOX_REQUEST_FAILED` with status 404 for an unknown challenge, 409
   *   for one already answered, 410 for an expired one.
   */
  approveMfaChallenge(challengeId: string): Promise<void>;
  /**
   * Denies a pending push MFA challenge as the user's phone would.
   *
   * @throws {SandboxTestClientError} `SANDBOX_REQUEST_FAILED` with status 404 for an unknown challenge, 409
   *   for one already answered, 410 for an expired one.
   */
  denyMfaChallenge(challengeId: string): Promise<void>;
  /**
   * Approves a login waiting for MFA and continues it, as the waiting page's "Approve on phone (sandbox)"
   * button does: `fields` are the page's hidden form fields (the authorization request's parameters and
   * `pending_login`). Resolves to where the login redirects: the callback URL with `code` and `state`, or
   * with the denial when the challenge was denied or expired. To deny a pending login instead, deny its
   * challenge (`data-mfa-challenge-id` on the page) with {@link SandboxTestClient.denyMfaChallenge}.
   *
   * @throws {SandboxTestClientError} `SANDBOX_REQUEST_FAILED` when the sandbox answers a page instead of a
   *   redirect (400 for an unknown pending login or bad parameters).
   */
  approveLogin(fields: Readonly<Record<string, string>>): Promise<URL>;

  /**
   * Books a transaction of `amount` cents on a user's main account (default: the first seeded user) and
   * publishes it to their `newTransaction` subscribers; resolves to its id.
   *
   * @throws {SandboxTestClientError} `SANDBOX_REQUEST_FAILED` with status 400 for a bad request, 404 for an
   *   unknown `email`, 409 when the balance would leave GraphQL's `Int` range.
   */
  bookTransaction(request: SandboxTransactionRequest): Promise<SandboxTransaction>;

  /** Requests per `METHOD /path/{pattern}` and token requests per grant type, since the start or last reset. */
  stats(): Promise<SandboxStats>;
  /** How many token requests with `grant_type` `grantType` (e.g. `refresh_token`) the sandbox has seen. */
  grantCount(grantType: string): Promise<number>;

  /** The faults still armed, in the order they apply (`GET /sandbox/faults`). */
  faults(): Promise<SandboxFault[]>;
  /**
   * Arms a fault: the next `times` (default 1) requests to `route` (a key of {@link SandboxTestClient.stats},
   * e.g. `"POST /api/oauth/token"`) fail as `fault` says — `error`, `delay` or `reset`. Resolves to the
   * fault as armed, defaults filled in.
   *
   * @throws {SandboxTestClientError} `SANDBOX_REQUEST_FAILED` with status 400 for a bad fault or a route
   *   that does not exist.
   */
  injectFault(fault: SandboxFaultRequest): Promise<SandboxFault>;
  /** Disarms every fault. */
  clearFaults(): Promise<void>;

  /**
   * Back to the seeded state: refresh tokens, devices, challenges, binding requests, sessions, faults, SMS,
   * e-mails, transactions and stats are dropped (access tokens stay valid until they expire).
   */
  reset(): Promise<void>;
}
