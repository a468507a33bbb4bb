import { constantTimeEqual } from "../security/constantTimeEqual";
import type { ClientRecord, SandboxStore } from "../state/SandboxStore";
import { OAuth2Error } from "./OAuth2Error";

const basicChallenge = { "WWW-Authenticate": 'Basic realm="kontist-sandbox", charset="UTF-8"' };

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined with `:`. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

function readBasic(authorization: string): { id: string; secret: string } | undefined {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(authorization);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/** Compares in constant time; a client without a secret (public) accepts no secret or an empty one. */
function secretMatches(client: ClientRecord | undefined, secret: string | undefined): boolean {
  if (client?.secret === undefined) {
    constantTimeEqual(secret ?? "", "");
    return client !== undefined && (secret === undefined || secret === "");
  }
  return constantTimeEqual(secret ?? "", client.secret) && secret !== undefined;
}

/**
 * Authenticates the client of a token request (RFC 6749 §2.3.1): HTTP Basic, or `client_id` +
 * `client_secret` in the body; a public client sends `client_id` alone. Secrets are compared in constant
 * time.
 *
 * @param authorization - the `Authorization` header, if any.
 * @throws {OAuth2Error} `invalid_request` (400) when both methods are used at once; `invalid_client`
 *   (401, with `WWW-Authenticate: Basic` when Basic was used) for a missing, unknown or wrong client.
 */
export function authenticateClient(
  store: SandboxStore,
  authorization: string | undefined,
  body: { client_id?: string | undefined; client_secret?: string | undefined },
): ClientRecord {
  if (authorization !== undefined && /^Basic\b/i.test(authorization)) {
    if (body.client_secret !== undefined) {
      throw new OAuth2Error(
        "invalid_request",
        "Use one client authentication method: HTTP Basic or client_id/client_secret in the body, not both.",
      );
    }
    const basic = readBasic(authorization);
    if (basic === undefined) {
      throw new OAuth2Error(
        "invalid_client",
        "The HTTP Basic credentials are malformed.",
        401,
        basicChallenge,
      );
    }
    if (body.client_id !== undefined && body.client_id !== basic.id) {
      throw new OAuth2Error("invalid_request", "The body's client_id differs from the HTTP Basic client.");
    }
    const client = store.clients.get(basic.id);
    if (client === undefined || !secretMatches(client, basic.secret)) {
      throw new OAuth2Error("invalid_client", "Client authentication failed.", 401, basicChallenge);
    }
    return client;
  }
  if (body.client_id === undefined) {
    throw new OAuth2Error(
      "invalid_client",
      "Client authentication is required (HTTP Basic, or client_id and client_secret in the body).",
      401,
    );
  }
  const client = store.clients.get(body.client_id);
  if (client === undefined || !secretMatches(client, body.client_secret)) {
    throw new OAuth2Error("invalid_client", "Client authentication failed.", 401);
  }
  return client;
}
