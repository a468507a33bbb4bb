/** Options of {@link openHiddenIframe}. */
export interface OpenHiddenIframeOptions {
  /** The URL to load. */
  url: string;
  /** The iframe's accessible title, e.g. `Kontist session renewal`. */
  title: string;
  /** Called when the iframe has loaded its page (added before loading starts, so no load is missed). */
  onLoad?: (() => void) | undefined;
}

/**
 * Loads `url` in an iframe nobody sees or can focus (zero size, hidden, `aria-hidden`, out of the tab
 * order), appended to the document's body: what silent renewal and logout do with the authorization
 * server's pages. The caller removes it (`iframe.remove()`) when done.
 *
 * @returns the iframe, already loading.
 * @throws {DOMException} / {TypeError} when the document refuses the iframe (the iframe is removed then).
 *
 * @example
 * const url = "https://api.kontist.com/oauth/logout";
 * const iframe = openHiddenIframe(window.document, { url, title: "Kontist logout", onLoad: () => iframe.remove() });
 */
export function openHiddenIframe(document: Document, options: OpenHiddenIframeOptions): HTMLIFrameElement {
  const iframe = document.createElement("iframe");
  try {
    iframe.setAttribute("aria-hidden", "true");
    iframe.setAttribute("tabindex", "-1");
    iframe.setAttribute("title", options.title);
    Object.assign(iframe.style, {
      position: "absolute",
      width: "0",
      height: "0",
      border: "0",
      visibility: "hidden",
    });
    const { onLoad } = options;
    if (onLoad !== undefined) iframe.addEventListener("load", () => onLoad());
    iframe.src = options.url;
    (document.body ?? document.documentElement).appendChild(iframe);
    return iframe;
  } catch (error) {
    iframe.remove();
    throw error;
  }
}
