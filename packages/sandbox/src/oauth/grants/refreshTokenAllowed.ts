import type { ClientRecord } from "../../state/SandboxStore";
import { mayIssueRefreshToken } from "../issueRefreshToken";
import { isCustomSchemeRedirectUri } from "../redirectUri";

/**
 * Whether an authorization code exchange gets a refresh token (API.md): the `offline` scope, a client
 * allowed the `refresh_token` grant, and, for a public (PKCE) client, a redirect URI with a custom scheme
 * (a native app); a browser app on an `http(s)` redirect URI renews silently instead.
 */
export function refreshTokenAllowed(
  client: ClientRecord,
  scopes: readonly string[],
  redirectUri: string,
): boolean {
  if (!mayIssueRefreshToken(client, scopes)) return false;
  return client.secret !== undefined || isCustomSchemeRedirectUri(redirectUri);
}
