/**
 * Whether a URL's `hostname` names this machine: `localhost` or a name under `.localhost` (RFC 6761
 * §6.3), an IPv4 address in 127.0.0.0/8, or `[::1]` — the loopback hosts of the W3C Secure Contexts spec
 * (§3.2, "potentially trustworthy" origins). Pass `new URL(…).hostname`: the URL parser has already
 * lower-cased it and normalised IPv4 forms such as `0x7f.1` or `2130706433` to dotted decimal.
 *
 * @example
 * isLoopbackHostname(new URL("http://127.0.0.1:4010").hostname); // true
 * isLoopbackHostname(new URL("https://api.kontist.com").hostname); // false
 */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}
