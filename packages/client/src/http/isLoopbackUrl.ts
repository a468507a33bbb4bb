/**
 * Whether `url` points at this machine: its host is `localhost` or a name under `.localhost`, an IPv4
 * address in 127.0.0.0/8, or `[::1]` — the loopback hosts of the W3C Secure Contexts spec (§3.2,
 * "potentially trustworthy" origins). Plain `http:` to such a host never crosses a network.
 *
 * @example
 * isLoopbackUrl(new URL("http://127.0.0.1:4010")); // true
 * isLoopbackUrl(new URL("http://api.kontist.com")); // false
 */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]") return true;
  // The URL parser has normalized IPv4 forms (0x7f.1, 2130706433) to dotted decimal.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
