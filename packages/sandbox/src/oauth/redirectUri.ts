/**
 * Whether `candidate` is allowed by the registered redirect URI `registered` (RFC 6749 §3.1.2.3): equal
 * strings, or, for a registered URI with `*` as its port, any port on that scheme and host (RFC 8252
 * §7.3) and, when it has no path, any path and query too. A URI with a fragment never matches (RFC 6749
 * §3.1.2).
 *
 * @example
 * redirectUriMatches("http://localhost:*", "http://localhost:5173/callback"); // true
 * redirectUriMatches("kontist-demo://callback", "kontist-demo://callback"); // true
 */
export function redirectUriMatches(registered: string, candidate: string): boolean {
  if (candidate.includes("#")) return false;
  if (registered === candidate) return true;
  const wildcard = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]+):\*(\/[^?#]*)?$/i.exec(registered);
  if (wildcard === null) return false;
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
