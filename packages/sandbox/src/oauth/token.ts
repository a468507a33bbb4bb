import {
  type GrantType,
  grantTypes,
  paths,
  type TokenRequest,
  type TokenResponse,
  tokenRequestSchema,
} from "@kontist-auth/protocol";
import type { Context } from "hono";
import { mediaType } from "../http/mediaType";
import { parseWithSchema } from "../http/parseWithSchema";
import { readBodyText } from "../http/readBodyText";
import { requestHeader } from "../http/requestHeader";
import type { SandboxEnv } from "../http/SandboxEnv";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { ClientRecord } from "../state/SandboxStore";
import { authenticateClient } from "./authenticateClient";
import { authorizationCodeGrant } from "./grants/authorizationCodeGrant";
import { passwordGrant } from "./grants/passwordGrant";
import { refreshTokenGrant } from "./grants/refreshTokenGrant";
import { OAuth2Error } from "./OAuth2Error";
import { readTokenForm } from "./readTokenForm";

type GrantHandler<Type extends GrantType> = (
  runtime: SandboxRuntime,
  client: ClientRecord,
  request: Extract<TokenRequest, { grant_type: Type }>,
) => Promise<TokenResponse>;

/** The grants the server implements; a grant left out answers `unsupported_grant_type`. */
const grantHandlers: { [Type in GrantType]?: GrantHandler<Type> } = {
  password: passwordGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
};

const isGrantType = (value: string): value is GrantType => (grantTypes as readonly string[]).includes(value);

/** The `grant_type` of a form body, when it is one the endpoint knows; never throws. */
async function knownGrantType(c: Context<SandboxEnv>): Promise<GrantType | undefined> {
  if (mediaType(requestHeader(c, "content-type")) !== "application/x-www-form-urlencoded") return undefined;
  try {
    const grantType = new URLSearchParams(await readBodyText(c)).get("grant_type") ?? "";
    return isGrantType(grantType) ? grantType : undefined;
  } catch {
    // An oversized or broken body: the handler answers it.
    return undefined;
  }
}

/**
 * `POST /api/oauth/token` (RFC 6749 §3.2): counts the grant (`/sandbox/stats`), reads the form, checks
 * the grant is implemented, parses the body with `tokenRequestSchema`, authenticates the client, checks the client may
 * use the grant, then runs it. Answers 200 with a token response or 400/401 with an OAuth2 error body,
 * both with `Cache-Control: no-store` (RFC 6749 §5.1).
 */
export function tokenRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: paths.token,
    countDetails: async (c) => {
      const grantType = await knownGrantType(c);
      if (grantType !== undefined) runtime.store.count("grants", grantType);
    },
    handler: async (c) => {
      const form = await readTokenForm(c);
      const grantType = form.grant_type;
      if (grantType === undefined || grantType === "") {
        throw new OAuth2Error("invalid_request", "Parameter `grant_type` is missing.");
      }
      const handler = isGrantType(grantType) ? grantHandlers[grantType] : undefined;
      if (handler === undefined) {
        throw new OAuth2Error("unsupported_grant_type", "This grant_type is not supported.");
      }
      const parsed = parseWithSchema(tokenRequestSchema, form);
      if (!parsed.ok) throw new OAuth2Error("invalid_request", parsed.message);
      const request = parsed.value;
      const client = authenticateClient(runtime.store, requestHeader(c, "authorization"), request);
      if (!client.grants.includes(request.grant_type)) {
        throw new OAuth2Error("unauthorized_client", "This client may not use this grant_type.");
      }
      const body = await (handler as GrantHandler<GrantType>)(runtime, client, request);
      return c.json(body, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
    },
  };
}
