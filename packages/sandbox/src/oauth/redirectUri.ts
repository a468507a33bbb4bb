/** A registered pattern: `*` in place of the port (RFC 8252 §7.3), optionally with a path. */
const wildcardPattern = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+):\*(\/[^?#]*)?$/i;

/**
 * Whether `candidate` is allowed by the registered redirect URI `registered` (RFC 6749 §3.1.2.3): equal
 * strings for a URI registered exactly, or, for a registered pattern with `*` as its port, a URI on that
 * scheme and host with any port (RFC 8252 §7.3) and, when the pattern has no path, any path and query
 * too. A pattern matches URIs only, never its own text. A URI with a fragment never matches (RFC 6749
 * §3.1.2).
 *
 * @example
 * redirectUriMatches("http://localhost:*", "http://localhost:5173/callback"); // true
 * redirectUriMatches("http://localhost:*", "http://localhost:*"); // false
 * redirectUriMatches("kontist-demo://callback", "kontist-demo://callback"); // true
 */
export function redirectUriMatches(registered: string, candidate: string): boolean {
  if (candidate.includes("#")) return false;
  const wildcard = wildcardPattern.exec(registered);
  if (wildcard === null) return registered === candidate;
  const [, scheme, host, path] = wildcard;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.username !== "" || url.password !== "") return false;
  if (url.protocol !== `${scheme?.toLowerCase()}:` || url.hostname !== host?.toLowerCase()) return false;
  return path === undefined || url.pathname === path;
}

/**
 * Whether a redirect URI uses a custom (private-use) scheme, as native apps do (RFC 8252 §7.1), rather
 * than `http`/`https`. API.md: PKCE clients get refresh tokens only with such a redirect URI.
 */
export function isCustomSchemeRedirectUri(redirectUri: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(redirectUri)?.[1]?.toLowerCase();
  return scheme !== undefined && scheme !== "http" && scheme !== "https";
}
