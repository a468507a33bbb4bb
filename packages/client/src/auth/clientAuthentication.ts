/** The OAuth2 client's credentials. */
export interface ClientCredentials {
  clientId: string;
  /** Absent for a public (PKCE) client. */
  clientSecret?: string | undefined;
}

/** `application/x-www-form-urlencoded` encoding of one value (RFC 6749 Appendix B). */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

/**
 * Authenticates the client on a token request (RFC 6749 §2.3.1): with a client secret, HTTP Basic over
 * the form-encoded `client_id:client_secret`, which the RFC says servers must support; without one
 * (a public client), `client_id` in the body (§3.2.1). Returns the headers to send and adds to `form`.
 *
 * @example
 * const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token });
 * const headers = clientAuthentication(form, { clientId, clientSecret });
 */
export function clientAuthentication(
  form: URLSearchParams,
  credentials: ClientCredentials,
): Record<string, string> {
  if (credentials.clientSecret === undefined) {
    form.set("client_id", credentials.clientId);
    return {};
  }
  const basic = btoa(`${formEncode(credentials.clientId)}:${formEncode(credentials.clientSecret)}`);
  return { authorization: `Basic ${basic}` };
}
