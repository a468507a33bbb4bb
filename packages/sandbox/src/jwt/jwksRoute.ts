import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/**
 * `GET /sandbox/jwks.json`: the key access tokens are signed with, as a JWK Set (RFC 7517 §5). A
 * test-support route (Kontist publishes no JWKS), so a test can check a token's signature.
 */
export function jwksRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: sandboxPaths.jwks,
    counted: false,
    handler: (c) => c.json({ keys: [runtime.signingKey.publicJwk] }, 200),
  };
}
