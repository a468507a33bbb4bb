import type { AccessTokenClaims } from "../jwt/AccessTokenClaims";
import type { UserRecord } from "../state/SandboxStore";

/** The Hono environment of the sandbox app: what `requireBearer` puts on the context. */
export interface SandboxEnv {
  Variables: {
    /** The verified claims of the request's bearer token. */
    accessToken: AccessTokenClaims;
    /** The user the bearer token belongs to. */
    user: UserRecord;
  };
}
