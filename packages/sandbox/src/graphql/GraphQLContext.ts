import type { BearerAuthentication } from "../auth/readBearerToken";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/**
 * What a GraphQL request runs with: the sandbox, what its `Authorization` header proved (requests without
 * a valid token run too; fields that need the user answer 401) — for a subscription, the `Authorization`
 * of the WebSocket's `connectionParams`, checked again at each subscribe — and the caller's IP address.
 */
export interface GraphQLContext {
  runtime: SandboxRuntime;
  authentication: BearerAuthentication;
  /** The caller's IP address, as `createDeviceBindingRequest` records it. */
  ipAddress: string;
}
