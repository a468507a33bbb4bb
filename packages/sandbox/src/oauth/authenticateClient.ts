import { constantTimeEqual } from "../security/constantTimeEqual";
import type { ClientRecord, SandboxStore } from "../state/SandboxStore";
import { OAuth2Error } from "./OAuth2Error";

const basicChallenge = { "WWW-Authenticate": 'Basic realm="kontist-sandbox", charset="UTF-8"' };

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined with `:`. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * The client id and secret an HTTP Basic header may carry, in the order to try them: as sent (the raw
 * `client_id:client_secret` Kontist's SDK sends), then form-decoded (RFC 6749 §2.3.1) when that differs.
 */
function readBasic(authorization: string): { id: string; secret: string }[] | undefined {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(authorization);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const raw = { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  const id = formDecode(raw.id);
  const secret = formDecode(raw.secret);
  if (id === undefined || secret === undefined || (id === raw.id && secret === raw.secret)) return [raw];
  return [raw, { id, secret }];
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
 * Authenticates the client of a token request (RFC 6749 §2.3.1): `client_id` + `client_secret` in the
 * body (as Kontist's docs send them), or HTTP Basic with `base64(client_id:client_secret)` either raw (as
 * Kontist's SDK sends it) or with id and secret form-encoded first (RFC 6749 §2.3.1; tried second); a
 * public client sends `client_id` alone. Secrets are compared in constant time.
 *
 * @param authorization - the `Authorization` header, if any.
 * @throws {OAuth2Error} `invalid_request` (400) when both methods are used at once; `invalid_client`
 *   (401, with `WWW-Authenticate: Basic` when Basic was used) for a missing, unknown or wrong client.
 *
 * @example
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 *
 * const { store } = createSandboxRuntime(resolveSandboxOptions());
 * authenticateClient(store, `Basic ${btoa("demo-client:demo-secret")}`, {}).id; // "demo-client"
 * authenticateClient(store, undefined, { client_id: "demo-public" }).id; // "demo-public": public, no secret
 * authenticateClient(store, undefined, { client_id: "demo-client" }); // OAuth2Error invalid_client (401)
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
    const candidates = readBasic(authorization);
    if (candidates === undefined) {
      throw new OAuth2Error(
        "invalid_client",
        "The HTTP Basic credentials are malformed.",
        401,
        basicChallenge,
      );
    }
    // Every candidate is compared, so timing does not tell which form matched.
    const matches = candidates.map((candidate) => {
      const client = store.clients.get(candidate.id);
      return secretMatches(client, candidate.secret) ? client : undefined;
    });
    const client = matches.find((match) => match !== undefined);
    if (client === undefined) {
      throw new OAuth2Error("invalid_client", "Client authentication failed.", 401, basicChallenge);
    }
    if (body.client_id !== undefined && body.client_id !== client.id) {
      throw new OAuth2Error("invalid_request", "The body's client_id differs from the HTTP Basic client.");
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
