import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/** `GET /.well-known/jwks.json`: the key access tokens are signed with, as a JWK Set (RFC 7517 §5). */
export function jwksRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: "/.well-known/jwks.json",
    handler: (c) => c.json({ keys: [runtime.signingKey.publicJwk] }, 200),
  };
}
