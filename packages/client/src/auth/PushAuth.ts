import {
  type AnswerMfaChallengeRequest,
  type MfaChallenge,
  mfaChallengesResponseSchema,
  paths,
} from "@kontist-auth/protocol";
import { assertDelay } from "../async/assertDelay";
import { defaultPollInterval } from "../async/defaultPollInterval";
import { linkedAbortController } from "../async/linkedAbortController";
import { ChallengeCancelledError } from "../errors/ChallengeCancelledError";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
import { processApiResponse } from "../http/processApiResponse";
import { processEmptyResponse } from "../http/processEmptyResponse";
import type { Token } from "../token/Token";
import type { TokenManager } from "./TokenManager";

/** Options of {@link PushAuth.getConfirmedToken}. */
export interface GetConfirmedTokenOptions {
  /** Cancels the confirmation when it aborts: polling stops, a request in flight is aborted. */
  signal?: AbortSignal | undefined;
  /** Milliseconds between two polls of the challenge; default 3 000 ({@link clientDefaults}`.pollInterval`). */
  pollInterval?: number | undefined;
}

/** What a {@link PushAuth} needs from its client. */
export interface PushAuthConfig {
  /** Sends `/api/user/*` requests with the current token, renewed as needed. */
  api: AuthenticatedTransport;
  tokenManager: TokenManager;
}

/**
 * MFA by push notification (`client.auth.push`): the API sends a notification to the user's bound
 * device, the user approves or denies it there, and the client gets a confirmed token. Also, for an app
 * whose own device is bound, the other side: listing pending challenges and answering them.
 *
 * @example
 * const token = await client.auth.push.getConfirmedToken(); // resolves once approved on the phone
 * token.confirmed; // true
 */
export class PushAuth {
  readonly #config: PushAuthConfig;
  readonly #running = new Set<AbortController>();

  /** Made by {@link Client}; use `client.auth.push`. */
  constructor(config: PushAuthConfig) {
    this.#config = config;
  }

  /**
   * Passes MFA by push notification: creates a challenge (`POST /api/user/mfa/challenges`), polls it
   * (`GET /api/user/mfa/challenges/{id}`) every `pollInterval` ms until it is `VERIFIED`, `DENIED` or
   * past its `expiresAt`, and once verified fetches the confirmed token
   * (`POST /api/user/mfa/challenges/{id}/token`), which becomes the current token like a device
   * confirmation's (a confirmed refresh token, when sent, replaces the stored one).
   *
   * It always settles, and leaves no timer behind: every failed request rejects it with its typed error,
   * and the last poll is made at `expiresAt`. A poll (a `GET`) that fails with a network error, a timeout,
   * a 429 or a 5xx is first retried as the client's `retry` option says; creating the challenge and
   * fetching the token (`POST`s) are sent once.
   *
   * @returns the confirmed token, now the current one.
   * @throws {ChallengeDeniedError} (`CHALLENGE_DENIED`) when the user denied it.
   * @throws {ChallengeExpiredError} (`CHALLENGE_EXPIRED`) when `expiresAt` passed while it was pending, or
   *   the API answered a poll or the token request with a 4xx saying so (410, a message about expiry, or
   *   any 4xx once `expiresAt` has passed).
   * @throws {ChallengeCancelledError} (`CHALLENGE_CANCELLED`) on {@link PushAuth.cancelConfirmation} or
   *   when `signal` aborts.
   * @throws {NoTokenError} when the client holds no token.
   * @throws {UnauthorizedError} / {@link HttpError} / {@link ResponseValidationError} /
   *   {@link NetworkError} / {@link TimeoutError} when a request fails.
   * @throws {TypeError} when `pollInterval` is not a positive number of milliseconds.
   *
   * @example
   * const controller = new AbortController();
   * document.getElementById("cancel")?.addEventListener("click", () => controller.abort());
   * const token = await client.auth.push.getConfirmedToken({ signal: controller.signal });
   */
  async getConfirmedToken(options: GetConfirmedTokenOptions = {}): Promise<Token> {
    const { signal, pollInterval = defaultPollInterval } = options;
    assertDelay(pollInterval, "getConfirmedToken: pollInterval");
    const { controller, unlink } = linkedAbortController(
      signal,
      (reason) => new ChallengeCancelledError("the signal of getConfirmedToken()", reason),
    );
    this.#running.add(controller);
    try {
      // Loaded on demand: an app that never asks for a push confirmation does not carry it.
      const { confirmByPush } = await import("./confirmByPush");
      return await confirmByPush(this.#config, pollInterval, controller.signal);
    } finally {
      unlink();
      this.#running.delete(controller);
    }
  }

  /**
   * Cancels every {@link PushAuth.getConfirmedToken} of this client that is still running: each rejects
   * with a {@link ChallengeCancelledError}, its polling stops and a request in flight is aborted. Does
   * nothing when none is running.
   *
   * @example
   * client.auth.push.cancelConfirmation();
   */
  cancelConfirmation(): void {
    for (const controller of this.#running) {
      controller.abort(new ChallengeCancelledError("cancelConfirmation()"));
    }
  }

  /**
   * Lists the user's pending push challenges: `GET /api/user/mfa/challenges`. An app with a bound device
   * shows them to let the user approve or deny another login ({@link PushAuth.answer}). Retried after a
   * network error, a timeout, a 429 or a 5xx, as the client's `retry` option says.
   *
   * @returns the challenges, `{ id, status, expiresAt }` each.
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} for an error answer.
   * @throws {ResponseValidationError} when the answer is not a list of challenges.
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * const [pending] = await client.auth.push.list();
   */
  async list(): Promise<MfaChallenge[]> {
    const response = await this.#config.api.send({
      method: "GET",
      path: paths.mfaChallenges,
      idempotent: true,
    });
    return processApiResponse(response, mfaChallengesResponseSchema);
  }

  /**
   * Answers a push challenge of another login from this app's bound device:
   * `PATCH /api/user/mfa/challenges/{id}` with `{ "status": "VERIFIED" | "DENIED" }`, answered with 204.
   * Needs a confirmed token (pass device MFA first). Sent once, never retried.
   *
   * @throws {TypeError} when `status` is neither `VERIFIED` nor `DENIED`, or `challengeId` is empty, `.`
   *   or `..` (a dot segment would change the path); nothing is sent.
   * @throws {NoTokenError} when the client has no access token.
   * @throws {UnauthorizedError} (401) / {@link HttpError} (e.g. 403 without a confirmed token, 404 for an
   *   unknown challenge).
   * @throws {NetworkError} / {@link TimeoutError} when no answer arrives in time.
   *
   * @example
   * for (const challenge of await client.auth.push.list()) await client.auth.push.answer(challenge.id, "VERIFIED");
   */
  async answer(challengeId: string, status: AnswerMfaChallengeRequest["status"]): Promise<void> {
    if (status !== "VERIFIED" && status !== "DENIED") {
      throw new TypeError('answer: status must be "VERIFIED" or "DENIED".');
    }
    const response = await this.#config.api.send({
      method: "PATCH",
      path: paths.mfaChallenge(challengeId),
      json: { status } satisfies AnswerMfaChallengeRequest,
    });
    processEmptyResponse(response);
  }
}
