import { paths } from "@kontist-auth/protocol";
import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { escapeHtml } from "./escapeHtml";
import type { AuthorizeRequest } from "./readAuthorizeRequest";
import { renderPage } from "./renderPage";

/** The form field that carries the reference of a login waiting for MFA (never the password). */
export const pendingLoginField = "pending_login";

/** The form field (and, as `data-mfa-challenge-id`, the form's attribute) with the push challenge's id. */
export const mfaChallengeIdField = "mfa_challenge_id";

/** What the MFA waiting page shows besides the request. */
export interface MfaWaitingPageState {
  /** The reference of the pending login (an opaque random value; the store keeps its hash). */
  pendingLogin: string;
  /** The push MFA challenge the user approves on their phone. */
  challengeId: string;
  /** The e-mail of the user signing in. */
  email: string;
  /** Shown after "Continue" while the challenge is still pending. */
  notYet?: boolean;
}

/**
 * The page the login shows after a right password unless `skip_mfa=true`: "Waiting for your approval on
 * your phone". Its form carries the request's parameters, the pending login's reference and the
 * challenge id (hidden fields, and `data-mfa-challenge-id` on the form). "Continue" posts it to
 * `POST /api/oauth/authorize`; "Approve on phone (sandbox)" posts it to `POST /sandbox/authorize/approve`,
 * which approves the challenge and continues in one step; "Cancel" denies.
 *
 * @example
 * import type { Context } from "hono";
 * import type { MfaChallengeRecord, UserRecord } from "../state/SandboxStore";
 * import type { AuthorizeRequest } from "./readAuthorizeRequest";
 * import { pageHeaders } from "./renderPage";
 *
 * function waitingPage(
 *   c: Context,
 *   request: AuthorizeRequest,
 *   login: { user: UserRecord; challenge: MfaChallengeRecord; reference: string },
 * ): Response {
 *   const page = renderMfaWaitingPage(request, {
 *     pendingLogin: login.reference,
 *     challengeId: login.challenge.id,
 *     email: login.user.email,
 *   });
 *   return c.html(page, 200, pageHeaders);
 * }
 */
export function renderMfaWaitingPage(request: AuthorizeRequest, state: MfaWaitingPageState): string {
  const entries: [string, string][] = [
    ...Object.entries(request.parameters),
    [pendingLoginField, state.pendingLogin],
    [mfaChallengeIdField, state.challengeId],
  ];
  const fields = entries
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  const notYet = state.notYet
    ? `<p class="error" role="alert">Not approved yet: approve the login on your phone, then continue.</p>\n`
    : "";
  return renderPage(
    "Approve on your phone",
    `<h1>Kontist sandbox</h1>
<p><strong>Waiting for your approval on your phone.</strong></p>
<p>A push notification asks <strong>${escapeHtml(state.email)}</strong> to confirm that <strong>${escapeHtml(request.client.id)}</strong> may sign in. Approve it in the Kontist app, then continue.</p>
${notYet}<form method="post" action="${paths.authorize}" data-mfa-challenge-id="${escapeHtml(state.challengeId)}">
${fields}
<button type="submit" name="decision" value="allow">Continue</button>
<button type="submit" formaction="${sandboxPaths.approveLogin}">Approve on phone (sandbox)</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form>
<p><small>The sandbox button stands in for the phone: it approves the challenge and continues.</small></p>`,
  );
}
