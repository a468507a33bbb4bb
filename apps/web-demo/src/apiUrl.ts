/** The local sandbox (`pnpm sandbox --port 4010`), the API the demo talks to by default. */
export const defaultApiUrl = "http://127.0.0.1:4010";

const storageKey = "kontist-web-demo:api";
const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Whether `url` is an absolute http(s) URL on a loopback host (`127.0.0.1`, `localhost`, `[::1]`): a
 * local sandbox, never a remote API. Anything else, including a string that is no URL, is `false`.
 *
 * @example
 * isLoopbackUrl("http://127.0.0.1:4010"); // true
 * isLoopbackUrl("https://api.kontist.com"); // false
 */
export function isLoopbackUrl(url: string): boolean {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  return parsed !== undefined && /^https?:$/.test(parsed.protocol) && loopbackHosts.has(parsed.hostname);
}

/**
 * The API base URL: `?api=` in the page's URL, else the one an earlier `?api=` left in this tab (the login
 * redirect comes back without the query), else `VITE_KONTIST_API` baked in at build time, else the local
 * sandbox. A `?api=` must be a loopback http(s) URL: a link must not be able to send the user's token to
 * another host.
 *
 * @throws {TypeError} when `?api=` is not an absolute loopback http(s) URL.
 */
export function readApiUrl(href: string, storage: Storage, fromBuild: string | undefined): string {
  const fromQuery = new URL(href).searchParams.get("api");
  if (fromQuery !== null) {
    if (!isLoopbackUrl(fromQuery)) {
      throw new TypeError("?api= must be an http(s) URL on 127.0.0.1, localhost or [::1].");
    }
    const apiUrl = new URL(fromQuery).origin;
    storage.setItem(storageKey, apiUrl);
    return apiUrl;
  }
  return storage.getItem(storageKey) ?? (fromBuild || defaultApiUrl);
}
