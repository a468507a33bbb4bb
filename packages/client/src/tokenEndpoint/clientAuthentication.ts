import { base64 } from "../oauth/base64url";

/**
 * How a confidential client authenticates on `POST /api/oauth/token` (RFC 6749 §2.3.1):
 * - `"body"`: `client_id` and `client_secret` in the form body, as every example of Kontist's docs does;
 * - `"basic"`: `Authorization: Basic base64(client_id:client_secret)` over the raw UTF-8 id and secret,
 *   as Kontist's own SDK sends it (the id must not contain `:`).
 */
export type ClientAuthenticationMethod = "body" | "basic";

/** The client authentication methods, for checking an option. */
export const clientAuthenticationMethods: readonly ClientAuthenticationMethod[] = ["body", "basic"];

/** The OAuth2 client's credentials. */
export interface ClientCredentials {
  clientId: string;
  /** Absent for a public (PKCE) client. */
  clientSecret?: string | undefined;
  /** How a client with a secret authenticates; default `"body"`. */
  clientAuthentication?: ClientAuthenticationMethod | undefined;
}

/**
 * Authenticates the client on a token request (RFC 6749 §2.3.1). With a client secret: `client_id` and
 * `client_secret` in the body (the default, as Kontist documents it), or with `clientAuthentication:
 * "basic"` HTTP Basic (RFC 7617) over the raw `client_id:client_secret`, base64 of its UTF-8 bytes (as
 * Kontist's SDK sends it; never form-encoded first). Without one (a public client): `client_id` in the
 * body (§3.2.1). Adds to `form` and returns the headers to send.
 *
 * @returns the headers to add: `{ authorization }` for Basic, else none.
 *
 * @example
 * const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: "rt-1" });
 * const headers = clientAuthentication(form, { clientId: "my-client", clientSecret: "…" });
 */
export function clientAuthentication(
  form: URLSearchParams,
  credentials: ClientCredentials,
): Record<string, string> {
  const { clientId, clientSecret } = credentials;
  if (clientSecret === undefined) {
    form.set("client_id", clientId);
    return {};
  }
  if (credentials.clientAuthentication === "basic") {
    const basic = base64(new TextEncoder().encode(`${clientId}:${clientSecret}`));
    return { authorization: `Basic ${basic}` };
  }
  form.set("client_id", clientId);
  form.set("client_secret", clientSecret);
  return {};
}

/**
 * The client id, checked when a call needs it: a client that only sends public GraphQL queries, or uses
 * a token it is given, may have none.
 *
 * @param what - the call that needs it, for the message, e.g. `getAuthUri`.
 * @throws {TypeError} when `clientId` is `undefined`.
 * @example
 * const clientId = requireClientId(process.env.KONTIST_CLIENT_ID, "getAuthUri");
 */
export function requireClientId(clientId: string | undefined, what: string): string {
  if (clientId === undefined) {
    throw new TypeError(`${what} needs the client's clientId option: new Client({ clientId, … }).`);
  }
  return clientId;
}
