import type { GrantType } from "@kontist-auth/protocol";

/** An OAuth2 client the sandbox knows. A client without `secret` is public (PKCE, `client_id` only). */
export interface SandboxClientSeed {
  /** The `client_id`. */
  id: string;
  /** The `client_secret` of a confidential client; leave it out for a public client. */
  secret?: string;
  /** The grants the client may use; any other grant is refused with `unauthorized_client`. */
  grants: readonly GrantType[];
  /** The scopes the client may ask for; a token request without `scope` gets all of them. */
  scopes: readonly string[];
  /**
   * Allowed redirect URIs of the authorization code grant. `*` in place of the port matches any port,
   * and such a URI without a path (`http://localhost:*`) matches any path on that host (RFC 8252 §7.3);
   * any other URI must match exactly (RFC 6749 §3.1.2.3). `response_mode=web_message` needs a redirect URI
   * listed here exactly: a `*` pattern allows redirects only.
   */
  redirectUris?: readonly string[];
}

/** A user who can log in to the sandbox. */
export interface SandboxUserSeed {
  /** The user id, the `sub` of their access tokens (a UUID); generated when left out. */
  id?: string;
  /** The login name (`username` of the password grant), matched case-insensitively. */
  email: string;
  /** The password. */
  password: string;
  /** Where the sandbox "sends" the user's SMS (see `GET /sandbox/sms`). */
  mobileNumber: string;
  /** The IBAN of the user's main account (GraphQL `viewer.mainAccount.iban`); made up from the id when left out. */
  iban?: string;
  /** The balance of the main account in cents (GraphQL `viewer.mainAccount.balance`). Default `0`. */
  balance?: number;
}

const loopbackRedirectUris = ["http://localhost:*", "http://127.0.0.1:*"] as const;

/**
 * The web demo's redirect URIs on Vite's dev (5173) and preview (4173) servers, and the `/callback` of the
 * README's examples, registered exactly so that they may also receive `response_mode=web_message`.
 */
const webDemoRedirectUris = [
  "http://127.0.0.1:5173/",
  "http://127.0.0.1:5173/callback",
  "http://127.0.0.1:4173/",
] as const;

/** A custom-scheme redirect URI, as a native app registers it (RFC 8252 §7.1). */
const demoAppRedirectUri = "kontist-demo://callback";

/** The scopes of the seeded clients: `accounts users subscriptions transfers offline`. */
const demoScopes = ["accounts", "users", "subscriptions", "transfers", "offline"] as const;

/**
 * The seeds the sandbox starts with unless `startSandbox({ clients, users })` replaces them: the
 * confidential client `demo-client` / `demo-secret`, the public client `demo-public` (which may also
 * redirect to `kontist-demo://callback`), both on any loopback port and, with web messages too, on the web
 * demo's `http://127.0.0.1:5173/` (and `/callback`, and Vite's preview `http://127.0.0.1:4173/`), the user
 * `demo@example.com` / `demo-password` (mobile `+4915100000000`, IBAN `DE89370400440532013000`, balance
 * 1,234.56 €) and a second user
 * `other@example.com` / `other-password` (mobile `+4915100000001`) for cross-user checks.
 *
 * @example
 * const [demoUser] = defaultSeeds.users;
 * await fetch(`${sandbox.url}/api/oauth/token`, { method: "POST", body: new URLSearchParams({
 *   grant_type: "password", username: demoUser.email, password: demoUser.password,
 *   client_id: "demo-client", client_secret: "demo-secret" }) });
 */
export const defaultSeeds = {
  clients: [
    {
      id: "demo-client",
      secret: "demo-secret",
      grants: ["password", "refresh_token", "authorization_code"],
      scopes: demoScopes,
      redirectUris: [...loopbackRedirectUris, ...webDemoRedirectUris],
    },
    {
      id: "demo-public",
      grants: ["authorization_code", "refresh_token"],
      scopes: demoScopes,
      redirectUris: [...loopbackRedirectUris, ...webDemoRedirectUris, demoAppRedirectUri],
    },
  ],
  users: [
    {
      id: "9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01",
      email: "demo@example.com",
      password: "demo-password",
      mobileNumber: "+4915100000000",
      iban: "DE89370400440532013000",
      balance: 123456,
    },
    {
      id: "4f2d7a90-3c6e-4b1a-8e57-6a9c2d1e0f02",
      email: "other@example.com",
      password: "other-password",
      mobileNumber: "+4915100000001",
      iban: "DE62370400440532013001",
      balance: 5000,
    },
  ],
} as const satisfies { clients: readonly SandboxClientSeed[]; users: readonly SandboxUserSeed[] };
