import type { Context } from "hono";
import { isConfirmationLive } from "../devices/isConfirmationLive";
import { ApiError } from "../http/ApiError";
import { createMfaChallenge } from "../mfa/createMfaChallenge";
import { mfaChallengeConfirmation } from "../mfa/mfaChallengeConfirmation";
import { hashToken } from "../security/hashToken";
import { randomToken } from "../security/randomToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { MfaChallengeRecord, PendingLoginRecord, UserRecord } from "../state/SandboxStore";
import { accessDenied, answerAuthorization } from "./answerAuthorization";
import { issueAuthorizationCode } from "./issueAuthorizationCode";
import { startLoginSession } from "./loginSession";
import type { AuthorizeRequest } from "./readAuthorizeRequest";
import { renderMfaWaitingPage } from "./renderMfaWaitingPage";
import { pageHeaders } from "./renderPage";

function sameParameters(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key])
  );
}

function waitingPage(
  c: Context,
  request: AuthorizeRequest,
  user: UserRecord,
  pendingLogin: string,
  challengeId: string,
  notYet: boolean,
): Response {
  const page = renderMfaWaitingPage(request, { pendingLogin, challengeId, email: user.email, notYet });
  return c.html(page, 200, pageHeaders);
}

/**
 * The MFA step of a login whose password was right (unless `skip_mfa=true`): creates a push MFA challenge
 * for the user with the request's client and scopes (as `POST /api/user/mfa/challenges` does), keeps the
 * login pending server-side under an unguessable reference (stored by its hash, like the session cookie;
 * the password is not kept), and answers the "Waiting for your approval on your phone" page (200).
 *
 * @example
 * import type { Context } from "hono";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 * import type { UserRecord } from "../state/SandboxStore";
 * import { answerAuthorization } from "./answerAuthorization";
 * import { issueAuthorizationCode } from "./issueAuthorizationCode";
 * import { startLoginSession } from "./loginSession";
 * import type { AuthorizeRequest } from "./readAuthorizeRequest";
 *
 * // The password was right: the MFA step, unless the request skips it.
 * function afterPassword(runtime: SandboxRuntime, c: Context, request: AuthorizeRequest, user: UserRecord) {
 *   if (!request.skipMfa) return startMfaLogin(runtime, c, request, user); // the waiting page
 *   const code = issueAuthorizationCode(runtime, request, startLoginSession(runtime, c, user));
 *   return answerAuthorization(c, request, { code });
 * }
 */
export function startMfaLogin(
  runtime: SandboxRuntime,
  c: Context,
  request: AuthorizeRequest,
  user: UserRecord,
): Response {
  const challenge = createMfaChallenge(runtime, {
    userId: user.id,
    clientId: request.client.id,
    scopes: request.scopes,
    // No token's session: the confirmed token is this login's alone (POST …/{id}/token refuses it).
    sessionId: undefined,
  });
  const reference = randomToken();
  const record: PendingLoginRecord = {
    userId: user.id,
    challengeId: challenge.id,
    parameters: { ...request.parameters },
  };
  runtime.store.pendingLogins.set(hashToken(reference), record);
  return waitingPage(c, request, user, reference, challenge.id, false);
}

/**
 * The pending login `reference` names, with its user and challenge, when it belongs to `request`.
 *
 * @example
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 * import type { AuthorizeRequest } from "./readAuthorizeRequest";
 * import { pendingLoginField } from "./renderMfaWaitingPage";
 *
 * function challengeStatus(runtime: SandboxRuntime, request: AuthorizeRequest, form: URLSearchParams) {
 *   const found = findPendingLogin(runtime, request, form.get(pendingLoginField) ?? "");
 *   return found?.challenge.status; // "PENDING", "VERIFIED" or "DENIED"; undefined for an unknown reference
 * }
 */
export function findPendingLogin(
  runtime: SandboxRuntime,
  request: AuthorizeRequest,
  reference: string,
): { user: UserRecord; challenge: MfaChallengeRecord } | undefined {
  const pending = runtime.store.pendingLogins.get(hashToken(reference));
  const user = pending && runtime.store.users.get(pending.userId);
  const challenge = pending && runtime.store.mfaChallenges.get(pending.challengeId);
  if (pending === undefined || user === undefined || challenge === undefined) return undefined;
  if (!sameParameters(pending.parameters, request.parameters)) return undefined;
  return { user, challenge };
}

const notPending = () =>
  new ApiError(
    400,
    "This sign-in is no longer pending (it was finished or cancelled, or the sandbox was reset): start again.",
  );

/**
 * Ends a pending login the user cancelled: forgets it and denies its challenge if still pending. Unknown
 * references are ignored.
 *
 * @example
 * import type { Context } from "hono";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 * import { accessDenied, answerAuthorization } from "./answerAuthorization";
 * import type { AuthorizeRequest } from "./readAuthorizeRequest";
 * import { pendingLoginField } from "./renderMfaWaitingPage";
 *
 * // "Cancel" on the waiting page.
 * function cancel(runtime: SandboxRuntime, c: Context, request: AuthorizeRequest, form: URLSearchParams) {
 *   const reference = form.get(pendingLoginField);
 *   if (reference !== null) cancelMfaLogin(runtime, request, reference);
 *   return answerAuthorization(c, request, accessDenied);
 * }
 */
export function cancelMfaLogin(runtime: SandboxRuntime, request: AuthorizeRequest, reference: string): void {
  const found = findPendingLogin(runtime, request, reference);
  if (found === undefined) return;
  runtime.store.pendingLogins.delete(hashToken(reference));
  if (found.challenge.status === "PENDING") found.challenge.status = "DENIED";
}

/**
 * Continues a login waiting for MFA (`reference` from the waiting page's form, with the same request
 * parameters): while the challenge is pending and unexpired, the waiting page again (200); once VERIFIED,
 * a login session that remembers the MFA and a code for a confirmed token (`cnf.kid`: the approving
 * device, or the challenge id for an approval through `/sandbox/`); when DENIED, expired, its approval
 * already spent or its approving device deleted since, Kontist's denial
 * (`error={"type":"AccessDeniedError"}`). A finished login is forgotten.
 *
 * @throws {ApiError} 400 for an unknown reference, or one of another authorization request.
 *
 * @example
 * import type { SandboxRoute } from "../http/SandboxRoute";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 * import { answerAuthorization } from "./answerAuthorization";
 * import { asPage } from "./asPage";
 * import { readAuthorizeForm } from "./readAuthorizeForm";
 * import { readAuthorizeRequest } from "./readAuthorizeRequest";
 * import { pendingLoginField } from "./renderMfaWaitingPage";
 *
 * // "Continue" on the waiting page: the waiting page again, a code, or the denial.
 * const continueRoute = (runtime: SandboxRuntime): SandboxRoute => ({
 *   method: "POST",
 *   path: "/api/oauth/authorize",
 *   handler: (c) =>
 *     asPage(c, async () => {
 *       const form = await readAuthorizeForm(c);
 *       const reading = readAuthorizeRequest(runtime, form);
 *       if (!reading.ok) return answerAuthorization(c, reading.target, reading);
 *       return continueMfaLogin(runtime, c, reading.request, form.get(pendingLoginField) ?? "");
 *     }),
 * });
 */
export function continueMfaLogin(
  runtime: SandboxRuntime,
  c: Context,
  request: AuthorizeRequest,
  reference: string,
): Response {
  const found = findPendingLogin(runtime, request, reference);
  if (found === undefined) throw notPending();
  const { user, challenge } = found;
  const expired = runtime.now() >= challenge.expiresAt;
  if (challenge.status === "PENDING" && !expired) {
    return waitingPage(c, request, user, reference, challenge.id, true);
  }
  runtime.store.pendingLogins.delete(hashToken(reference));
  const deviceId = mfaChallengeConfirmation(challenge);
  if (
    challenge.status !== "VERIFIED" ||
    expired ||
    challenge.tokenIssued ||
    // Approved by a device that has been deleted since: that approval no longer counts.
    !isConfirmationLive(runtime.store, user.id, deviceId)
  ) {
    return answerAuthorization(c, request, accessDenied);
  }
  // The challenge's one confirmed token is this login's.
  challenge.tokenIssued = true;
  const session = startLoginSession(runtime, c, user, deviceId);
  return answerAuthorization(c, request, { code: issueAuthorizationCode(runtime, request, session) });
}
