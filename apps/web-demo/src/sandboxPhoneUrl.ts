import { isLoopbackUrl } from "./apiUrl";

/** The sandbox's phone and mailbox page, relative to its base URL (`packages/sandbox/src/phone/`). */
const phonePagePath = "/sandbox/phone";

/**
 * The local sandbox's phone page (its SMS, e-mails, push challenges and binding requests, with the
 * buttons the user's phone would have) when `apiUrl` is a loopback URL, i.e. a local sandbox; `undefined`
 * for any other API, such as Kontist's own, where the user's real phone and mailbox take its place.
 *
 * @example
 * sandboxPhoneUrl("http://127.0.0.1:4010"); // "http://127.0.0.1:4010/sandbox/phone"
 * sandboxPhoneUrl("https://api.kontist.com"); // undefined
 */
export function sandboxPhoneUrl(apiUrl: string): string | undefined {
  return isLoopbackUrl(apiUrl) ? new URL(phonePagePath, apiUrl).href : undefined;
}
