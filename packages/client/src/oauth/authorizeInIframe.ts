import { authorizationWebMessageSchema, paths } from "@kontist-auth/protocol";
import { TimeoutError } from "../errors/TimeoutError";
import { readAuthorizationResponse } from "./readAuthorizationResponse";

/** Options of {@link authorizeInIframe}. */
export interface AuthorizeInIframeOptions {
  /**
   * The authorization URL (see `buildAuthorizationUrl`) with `prompt=none` and
   * `response_mode=web_message`. Its origin is the only origin a message is accepted from.
   */
  url: string;
  /** The `state` the URL carries; the answer must carry the same. */
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
 * answers from its login session and posts `{ type: "authorization_response", response: { code, state } }`
 * to this window (OAuth 2.0 Web Message Response Mode; OpenID Connect Core §3.1.2.1 for `prompt=none`).
 *
 * A `message` event is looked at only when it comes from the iframe's own window (`event.source`), from
 * the authorization server's origin (`event.origin`) and matches the web message schema; every other
 * message is ignored, whoever sends it. Its `state` must then be the expected one. The iframe, the
 * listener and the timer are removed in every outcome.
 *
 * Needs the authorization server to allow framing by this page and to send its login-session cookie in
 * the iframe (so page and server should be same-site), and to post to this page's origin (the origin of
 * the `redirect_uri`).
 *
 * @returns the authorization code; exchange it with the PKCE verifier of the URL's challenge.
 * @throws {TypeError} when there is no DOM window (Node, a worker).
 * @throws {TimeoutError} when no acceptable answer arrives within `timeout` ms.
 * @throws {StateMismatchError} when the iframe's answer carries another state.
 * @throws {AuthorizationError} when the answer is an error, e.g. `login_required` (no login session).
 * @throws {ResponseValidationError} when the answer has neither code nor error.
 *
 * @example
 * const code = await authorizeInIframe({ url, state, timeout: 10_000 });
 */
export function authorizeInIframe(options: AuthorizeInIframeOptions): Promise<string> {
  const { url, state, timeout } = options;
  const window = options.window ?? globalThis.window;
  return new Promise<string>((resolve, reject) => {
    if (window?.document === undefined) {
      reject(new TypeError("authorizeInIframe: silent renewal needs a browser window with a document."));
      return;
    }
    const { document } = window;
    const origin = new URL(url).origin;
    const iframe = document.createElement("iframe");
    let timer: ReturnType<typeof setTimeout> | undefined;

    const cleanUp = () => {
      window.removeEventListener("message", onMessage);
      clearTimeout(timer);
      iframe.remove();
    };
    const onMessage = (event: MessageEvent) => {
      if (event.source === null || event.source !== iframe.contentWindow) return;
      if (event.origin !== origin) return;
      const message = authorizationWebMessageSchema.safeParse(event.data);
      if (!message.success) return;
      cleanUp();
      try {
        resolve(readAuthorizationResponse(message.data.response, state, source));
      } catch (error) {
        reject(error);
      }
    };
    // Listen before the iframe starts loading, so even an instant answer is heard.
    window.addEventListener("message", onMessage);
    timer = setTimeout(() => {
      cleanUp();
      reject(new TimeoutError(source, timeout));
    }, timeout);
    try {
      iframe.setAttribute("aria-hidden", "true");
      iframe.setAttribute("tabindex", "-1");
      iframe.setAttribute("title", "Kontist session renewal");
      Object.assign(iframe.style, {
        position: "absolute",
        width: "0",
        height: "0",
        border: "0",
        visibility: "hidden",
      });
      iframe.src = url;
      (document.body ?? document.documentElement).appendChild(iframe);
    } catch (error) {
      cleanUp();
      reject(error);
    }
  });
}
