import { randomUUID } from "node:crypto";
import { hashToken } from "../security/hashToken";
import { randomToken } from "../security/randomToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { AuthorizeRequest } from "./readAuthorizeRequest";

/**
 * Issues an authorization code for `userId` (RFC 6749 §4.1.2): an opaque random string, stored by its
 * hash with the client, redirect URI, scopes and PKCE challenge it is bound to; it lives
 * `authorizationCodeTtl` seconds and can be exchanged once.
 *
 * @param deviceId - the `cnf.kid` when the login passed MFA: the code then yields a confirmed token.
 */
export function issueAuthorizationCode(
  runtime: SandboxRuntime,
  request: AuthorizeRequest,
  userId: string,
  deviceId?: string,
): string {
  const code = randomToken();
  runtime.store.authorizationCodes.set(hashToken(code), {
    clientId: request.client.id,
    userId,
    redirectUri: request.redirectUri,
    scopes: [...request.scopes],
    codeChallenge: request.codeChallenge,
    expiresAt: runtime.now() + runtime.config.authorizationCodeTtl * 1000,
    used: false,
    familyId: randomUUID(),
    deviceId,
  });
  return code;
}
