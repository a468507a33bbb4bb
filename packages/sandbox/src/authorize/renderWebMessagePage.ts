import type { AuthorizationWebMessage } from "@kontist-auth/protocol";
import { renderPage } from "./renderPage";

/** JSON that is safe inside a `<script>` element: no `<`, `>`, `&` or line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * The answer page of `response_mode=web_message`: a script posts `message` to the window that framed
 * the page (`window.parent`, for renewal in a hidden iframe) or opened it (`window.opener`, a popup),
 * with `targetOrigin` = the redirect URI's origin, so no other origin can read it.
 *
 * @param nonce - the CSP nonce that allows the inline script.
 */
export function renderWebMessagePage(
  message: AuthorizationWebMessage,
  targetOrigin: string,
  nonce: string,
): string {
  const script = `<script nonce="${nonce}">
(function () {
  var message = ${scriptJson(message)};
  var target = window.parent !== window ? window.parent : window.opener;
  if (target) target.postMessage(message, ${scriptJson(targetOrigin)});
})();
</script>`;
  return renderPage(
    "Signing in",
    `<h1>Kontist sandbox</h1>\n<p>The answer was sent to the application; this window can be closed.</p>\n${script}`,
  );
}
