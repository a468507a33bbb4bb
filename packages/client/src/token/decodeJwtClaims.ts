/** The claims of a JWT payload, as decoded; nothing in it has been verified. */
export type JwtClaims = Readonly<Record<string, unknown>>;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes the payload of a compact JWS (RFC 7515 §7.1, RFC 7519 §3): the second of three base64url
 * segments, as a JSON object. The signature is NOT verified, so the claims are for the app's convenience
 * (expiry, scopes, "is it confirmed?") and never for a security decision; the API verifies its tokens.
 *
 * @param token - an access token.
 * @returns the claims, or `undefined` when `token` is not a JWT with a JSON-object payload (opaque
 *   tokens are fine). Never throws.
 *
 * @example
 * decodeJwtClaims(client.auth.tokenManager.token?.accessToken ?? "")?.exp; // 1767225600
 */
export function decodeJwtClaims(token: string): JwtClaims | undefined {
  const segments = token.split(".");
  if (segments.length !== 3) return undefined;
  const payload = segments[1] ?? "";
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || payload.length % 4 === 1) return undefined;
  try {
    const binary = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const claims: unknown = JSON.parse(utf8.decode(bytes));
    if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return undefined;
    return claims as JwtClaims;
  } catch {
    return undefined;
  }
}
