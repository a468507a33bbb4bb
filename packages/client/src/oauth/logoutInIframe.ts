import { domWindow } from "./domWindow";
import { openHiddenIframe } from "./openHiddenIframe";

/** Options of {@link logoutInIframe}. */
export interface LogoutInIframeOptions {
  /** The logout URL, e.g. `https://api.kontist.com/oauth/logout`. */
  url: string;
  /** Milliseconds to wait for the page to load; then the iframe is removed all the same. */
  timeout: number;
  /** The window to work in; default `globalThis.window`. */
  window?: Window | undefined;
}

/**
 * Ends the authorization server's login session in this browser, as Kontist's docs ask: loads the
 * logout URL (`/oauth/logout`) in a hidden iframe, so the server's session cookie goes with the request
 * and the page the user is on stays. The login session otherwise lasts until the browser closes, and a
 * silent renewal (`prompt=none`) would get a new code from it.
 *
 * Resolves once the iframe has loaded, or after `timeout` ms without that (the server may be slow or
 * unreachable; nothing here can tell whether it ended the session); the iframe is removed in every
 * outcome. Never rejects because of the iframe or the server.
 *
 * @throws {TypeError} when there is no DOM window (Node, a worker).
 *
 * @example
 * await logoutInIframe({ url: "https://api.kontist.com/oauth/logout", timeout: 10_000 });
 */
export function logoutInIframe(options: LogoutInIframeOptions): Promise<void> {
  const window = domWindow(options.window);
  return new Promise<void>((resolve, reject) => {
    if (window === undefined) {
      reject(
        new TypeError("logoutInIframe: ending the login session needs a browser window with a document."),
      );
      return;
    }
    let iframe: HTMLIFrameElement | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const done = () => {
      settled = true;
      clearTimeout(timer);
      iframe?.remove();
      resolve();
    };
    timer = setTimeout(done, options.timeout);
    try {
      iframe = openHiddenIframe(window.document, { url: options.url, title: "Kontist logout", onLoad: done });
      if (settled) iframe.remove(); // loaded at once
    } catch (error) {
      // The logout is best effort: the caller has forgotten the token already.
      globalThis.reportError?.(error);
      done();
    }
  });
}
