/**
 * The DOM window to work in: `window`, else `globalThis.window`, when it has a document; `undefined` in
 * Node and in workers.
 *
 * @example
 * const dom = domWindow(); // globalThis.window in a browser
 * if (dom === undefined) throw new TypeError("needs a browser window");
 */
export function domWindow(window?: Window | undefined): Window | undefined {
  const candidate = window ?? globalThis.window;
  return candidate?.document === undefined ? undefined : candidate;
}
