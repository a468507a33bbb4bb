import { escapeHtml } from "./escapeHtml";
import type { AuthorizeRequest } from "./readAuthorizeRequest";
import { renderPage } from "./renderPage";

/** What the login and consent page shows besides the request. */
export interface LoginPageState {
  /** The signed-in user, when the page only asks for consent. */
  signedInAs?: string;
  /** The e-mail to prefill after a failed attempt. */
  username?: string;
  /** A message for the user, e.g. a wrong password. */
  error?: string;
}

/**
 * The login and consent page of `GET /api/oauth/authorize`: which client asks for which scopes, e-mail
 * and password fields (unless a session is being reused), and "Allow" / "Deny" buttons. The form posts to
 * `POST /api/oauth/authorize` with the request's parameters in hidden fields.
 */
export function renderLoginPage(request: AuthorizeRequest, state: LoginPageState = {}): string {
  const hidden = Object.entries(request.parameters)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  const credentials =
    state.signedInAs === undefined
      ? `<label for="username">E-mail
<input id="username" name="username" type="email" autocomplete="username" value="${escapeHtml(state.username ?? "")}" required autofocus></label>
<label for="password">Password
<input id="password" name="password" type="password" autocomplete="current-password" required></label>`
      : `<p>Signed in as <strong>${escapeHtml(state.signedInAs)}</strong>.</p>`;
  const scopes = request.scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(" ");
  return renderPage(
    "Sign in",
    `<h1>Kontist sandbox</h1>
<p><strong>${escapeHtml(request.client.id)}</strong> asks for access to your account: ${scopes}.</p>
${state.error === undefined ? "" : `<p class="error" role="alert">${escapeHtml(state.error)}</p>\n`}<form method="post" action="/api/oauth/authorize">
${hidden}
${credentials}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form>`,
  );
}
