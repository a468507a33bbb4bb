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
  /** Allowed redirect URIs for the authorization code grant; `*` in place of the port matches any port. */
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
}

const loopbackRedirectUris = ["http://localhost:*", "http://127.0.0.1:*"] as const;

/** The scopes of the seeded clients: `accounts users subscriptions transfers offline`. */
const demoScopes = ["accounts", "users", "subscriptions", "transfers", "offline"] as const;

/**
 * The seeds the sandbox starts with unless `startSandbox({ clients, users })` replaces them: the
 * confidential client `demo-client` / `demo-secret`, the public client `demo-public`, the user
 * `demo@example.com` / `demo-password` (mobile `+4915100000000`) and a second user
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
      redirectUris: loopbackRedirectUris,
    },
    {
      id: "demo-public",
      grants: ["authorization_code", "refresh_token"],
      scopes: demoScopes,
      redirectUris: loopbackRedirectUris,
    },
  ],
  users: [
    {
      id: "9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01",
      email: "demo@example.com",
      password: "demo-password",
      mobileNumber: "+4915100000000",
    },
    {
      id: "4f2d7a90-3c6e-4b1a-8e57-6a9c2d1e0f02",
      email: "other@example.com",
      password: "other-password",
      mobileNumber: "+4915100000001",
    },
  ],
} as const satisfies { clients: readonly SandboxClientSeed[]; users: readonly SandboxUserSeed[] };
