import { paths } from "@kontist-auth/protocol";
import { TimeoutError } from "../errors/TimeoutError";
import { domWindow } from "./domWindow";
import { openHiddenIframe } from "./openHiddenIframe";
import { readAuthorizationWebMessage } from "./readAuthorizationWebMessage";

/** Options of {@link authorizeInIframe}. */
export interface AuthorizeInIframeOptions {
  /**
   * The authorization URL (see `buildAuthorizationUrl`) with `prompt=none` and
   * `response_mode=web_message`. Its origin is the only origin a message is accepted from.
   */
  url: string;
  /** The `state` the URL carries; an answer that carries a state must carry this one. */
  state: string;
  /** Milliseconds to wait for the answer before giving up with a {@link TimeoutError}. */
  timeout: number;
  /** The window to work in; default `globalThis.window`. Only the DOM is used: no framework, no Node. */
  window?: Window | undefined;
}

/** Where the answer comes from, for error messages. */
const source = `GET ${paths.authorize} (silent renewal in a hidden iframe)`;

/**
 * Gets an authorization code without showing anything (silent renewal): loads the authorization URL with
 * `prompt=none` and `response_mode=web_message` in a hidden iframe, where the authorization server
 * answers from its login session and posts the answer to this window (OpenID Connect Core §3.1.2.1 for
 * `prompt=none`). Kontist posts `{ response: { code } }`, or `{ error }` when it cannot answer with a
 * code; the OAuth 2.0 Web Message Response Mode draft's `{ type: "authorization_response", response:
 * { code, state } }` is read too (see `readAuthorizationWebMessage`).
 *
 * A `message` event is looked at only when it comes from the iframe's own window (`event.source`) and
 * from the authorization server's origin (`event.origin`); every other message is ignored, whoever sends
 * it, and so is one from the iframe that is no authorization answer. Because of these two checks an
 * answer without `state` is accepted (Kontist echoes none); a `state` it carries must be the expected
 * one. An error ends the wait at once. The iframe, the listener and the timer are removed in every
 * outcome.
 *
 * Needs the authorization server to allow framing by this page and to send its login-session cookie in
 * the iframe (so page and server should be same-site), and to post to this page's origin (the origin of
 * the `redirect_uri`).
 *
 * @returns the authorization code; exchange it with the PKCE verifier of the URL's challenge.
 * @throws {TypeError} when there is no DOM window (Node, a worker).
 * @throws {TimeoutError} when no answer arrives within `timeout` ms.
 * @throws {StateMismatchError} when the iframe's answer carries another state.
 * @throws {AuthorizationError} when the answer is an error, e.g. `login_required` or
 *   `{ type: "LoginRequiredError" }` (no login session).
 * @throws {ResponseValidationError} when the answer is malformed or has neither code nor error.
 *
 * @example
 * import { createCodeChallenge, createPkceVerifier, createState } from "@kontist-auth/client/oauth";
 *
 * const verifier = createPkceVerifier(); // exchange the code with it
 * const state = createState();
 * const url = new URL("https://api.kontist.com/api/oauth/authorize");
 * url.search = new URLSearchParams({
 *   response_type: "code",
 *   client_id: "my-public-client",
 *   redirect_uri: `${location.origin}/callback`,
 *   scope: "users",
 *   state,
 *   code_challenge: await createCodeChallenge(verifier),
 *   code_challenge_method: "S256",
 *   prompt: "none",
 *   response_mode: "web_message",
 * }).toString();
 * const code = await authorizeInIframe({ url: url.href, state, timeout: 10_000 });
 */
export function authorizeInIframe(options: AuthorizeInIframeOptions): Promise<string> {
  const { url, state, timeout } = options;
  const window = domWindow(options.window);
  return new Promise<string>((resolve, reject) => {
    if (window === undefined) {
      reject(new TypeError("authorizeInIframe: silent renewal needs a browser window with a document."));
      return;
    }
    const origin = new URL(url).origin;
    let iframe: HTMLIFrameElement | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const cleanUp = () => {
      window.removeEventListener("message", onMessage);
      clearTimeout(timer);
      iframe?.remove();
    };
    const onMessage = (event: MessageEvent) => {
      if (iframe === undefined || event.source === null || event.source !== iframe.contentWindow) return;
      if (event.origin !== origin) return;
      let code: string | undefined;
      try {
        code = readAuthorizationWebMessage(event.data, state, source);
      } catch (error) {
        cleanUp();
        reject(error);
        return;
      }
      if (code === undefined) return; // another message of the iframe's page: keep waiting
      cleanUp();
      resolve(code);
    };
    // Listen before the iframe starts loading, so even an instant answer is heard.
    window.addEventListener("message", onMessage);
    timer = setTimeout(() => {
      cleanUp();
      reject(new TimeoutError(source, timeout));
    }, timeout);
    try {
      iframe = openHiddenIframe(window.document, { url, title: "Kontist session renewal" });
    } catch (error) {
      cleanUp();
      reject(error);
    }
  });
}
