/**
 * The smallest DOM window `authorizeInIframe` and `logoutInIframe` run against: `addEventListener` /
 * `removeEventListener` for `message` (a real `EventTarget`), and a document whose iframes get their own
 * window object once appended. What the "authorization server" inside an iframe does is up to the test
 * (`onIframe`), which posts through {@link FakeWindow.post}: a `message` event with the given `data`,
 * `origin` and `source`, dispatched asynchronously like `postMessage`, or ends the iframe's loading with
 * {@link FakeIframe.load}.
 */
export interface FakeIframe {
  src: string;
  style: Record<string, string>;
  attributes: Map<string, string>;
  contentWindow: object | null;
  /** Whether it is in the document. */
  attached: boolean;
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, listener: EventListener): void;
  /** Fires the iframe's `load` event, as a browser does once its page has loaded. */
  load(): void;
  remove(): void;
}

export interface FakeWindow {
  window: Window;
  /** Every iframe created, in order. */
  iframes: FakeIframe[];
  /** `message` listeners currently registered. */
  listenerCount(): number;
  /** Posts a message event to the window. */
  post(data: unknown, from: { origin: string; source: object | null }): void;
}

export function createFakeWindow(
  onIframe: (iframe: FakeIframe, fake: FakeWindow) => void = () => {},
): FakeWindow {
  const target = new EventTarget();
  let listeners = 0;
  const iframes: FakeIframe[] = [];
  const body = {
    appendChild(iframe: FakeIframe) {
      iframe.attached = true;
      iframe.contentWindow = {}; // a browsing context of its own
      setTimeout(() => onIframe(iframe, fake), 0);
      return iframe;
    },
  };
  const document = {
    body,
    documentElement: body,
    createElement(tag: string): FakeIframe {
      if (tag !== "iframe") throw new Error(`unexpected element ${tag}`);
      const events = new EventTarget();
      const iframe: FakeIframe = {
        src: "",
        style: {},
        attributes: new Map(),
        contentWindow: null,
        attached: false,
        setAttribute(name, value) {
          iframe.attributes.set(name, value);
        },
        addEventListener(type, listener) {
          events.addEventListener(type, listener);
        },
        load() {
          events.dispatchEvent(new Event("load"));
        },
        remove() {
          iframe.attached = false;
          iframe.contentWindow = null;
        },
      };
      iframes.push(iframe);
      return iframe;
    },
  };
  const window = {
    document,
    addEventListener(type: string, listener: EventListener) {
      if (type === "message") listeners++;
      target.addEventListener(type, listener);
    },
    removeEventListener(type: string, listener: EventListener) {
      if (type === "message") listeners--;
      target.removeEventListener(type, listener);
    },
  };
  const fake: FakeWindow = {
    window: window as unknown as Window,
    iframes,
    listenerCount: () => listeners,
    post(data, from) {
      setTimeout(() => {
        const event = new Event("message");
        Object.defineProperties(event, {
          data: { value: data },
          origin: { value: from.origin },
          source: { value: from.source },
        });
        target.dispatchEvent(event);
      }, 0);
    },
  };
  return fake;
}
