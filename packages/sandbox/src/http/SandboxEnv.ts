import type { HttpBindings } from "@hono/node-server";
import type { SandboxFaultKind } from "@kontist-auth/protocol/sandbox";
import type { AccessTokenClaims } from "../jwt/AccessTokenClaims";
import type { UserRecord } from "../state/SandboxStore";

/** The Hono environment of the sandbox app: the Node request, and what `requireBearer` puts on the context. */
export interface SandboxEnv {
  /** The Node request and response (absent when the app is called with `app.request()` in a test). */
  Bindings: Partial<HttpBindings>;
  Variables: {
    /** The verified claims of the request's bearer token. */
    accessToken: AccessTokenClaims;
    /** The user the bearer token belongs to. */
    user: UserRecord;
    /** The fault injected into this request, for the request log. */
    fault: SandboxFaultKind;
    /** The request body as text, once something read it (`readBodyText`). */
    bodyText: Promise<string>;
  };
}
