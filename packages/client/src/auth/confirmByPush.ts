import {
  confirmedTokenResponseSchema,
  isKontistAuthError,
  mfaChallengeSchema,
  paths,
  sleep,
} from "@kontist-auth/protocol";
import { ChallengeDeniedError } from "../errors/ChallengeDeniedError";
import { ChallengeExpiredError } from "../errors/ChallengeExpiredError";
import { processApiResponse } from "../http/processApiResponse";
import type { Token } from "../token/Token";
import { acceptConfirmedToken } from "./acceptConfirmedToken";
import type { PushAuthConfig } from "./PushAuth";

/**
 * The push confirmation behind `PushAuth.getConfirmedToken`: creates a challenge, polls it every
 * `pollInterval` ms until it is verified, denied or past its `expiresAt`, then fetches the confirmed token
 * and makes it the current one.
 *
 * @throws {ChallengeDeniedError} / {@link ChallengeExpiredError}, the `reason` of `signal`, and the
 *   request errors; see `PushAuth.getConfirmedToken`.
 *
 * @example
 * import type { PushAuthConfig } from "./PushAuth";
 * declare const config: PushAuthConfig;
 * const token = await confirmByPush(config, 3_000, new AbortController().signal);
 */
export async function confirmByPush(
  config: PushAuthConfig,
  pollInterval: number,
  signal: AbortSignal,
): Promise<Token> {
  signal.throwIfAborted();
  const { api } = config;
  let challenge = processApiResponse(
    await api.send({ method: "POST", path: paths.mfaChallenges, signal }),
    mfaChallengeSchema,
  );
  const { id } = challenge;
  for (;;) {
    const expiresAt = new Date(challenge.expiresAt);
    if (challenge.status === "VERIFIED") return fetchConfirmedToken(config, id, expiresAt, signal);
    if (challenge.status === "DENIED") throw new ChallengeDeniedError(id);
    const remaining = expiresAt.getTime() - Date.now();
    if (remaining <= 0) throw new ChallengeExpiredError(id, expiresAt);
    // The last poll falls on `expiresAt`: an approval in the last seconds still counts.
    await sleep(Math.min(pollInterval, remaining), signal);
    try {
      challenge = processApiResponse(
        await api.send({ method: "GET", path: paths.mfaChallenge(id), signal, idempotent: true }),
        mfaChallengeSchema,
      );
    } catch (error) {
      throw expiredOr(error, id, expiresAt);
    }
  }
}

/** Fetches the token of the verified challenge `id` and makes it the current one. */
async function fetchConfirmedToken(
  config: PushAuthConfig,
  id: string,
  expiresAt: Date,
  signal: AbortSignal,
): Promise<Token> {
  try {
    const response = await config.api.send({
      method: "POST",
      path: paths.mfaChallengeToken(id),
      signal,
    });
    return await acceptConfirmedToken(
      config.tokenManager,
      processApiResponse(response, confirmedTokenResponseSchema),
    );
  } catch (error) {
    throw expiredOr(error, id, expiresAt);
  }
}

/**
 * A 4xx about the challenge means it expired when it says so (410 Gone, a message about expiry) or when
 * `expiresAt` has passed anyway; any other failure stays what it is.
 */
function expiredOr(error: unknown, id: string, expiresAt: Date): unknown {
  // `HTTP_ERROR` only: an `UnauthorizedError` (401, also an `HttpError`) stays what it is.
  if (!isKontistAuthError(error, "HTTP_ERROR") || error.status < 400 || error.status >= 500) return error;
  const saysExpired = error.status === 410 || /expired/i.test(error.serverMessage ?? "");
  return saysExpired || Date.now() >= expiresAt.getTime()
    ? new ChallengeExpiredError(id, expiresAt, error)
    : error;
}
