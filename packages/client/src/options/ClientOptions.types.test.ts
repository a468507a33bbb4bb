import { memoryStore, type TokenStore } from "@kontist-auth/token-store";
import { describe, expectTypeOf, it } from "vitest";
import {
  Client,
  type ClientAuthenticationMethod,
  type ClientEvent,
  type ClientOptions,
  type RetryOptions,
  type SubscriptionRetryOptions,
} from "../index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
describe("ClientOptions (types)", () => {
  it("is what new Client takes, every option optional", () => {
    expectTypeOf(Client).constructorParameters.toEqualTypeOf<[options: ClientOptions]>();
    expectTypeOf({}).toExtend<ClientOptions>();
    expectTypeOf({ clientId: "demo-client", clientSecret: "demo-secret" }).toExtend<ClientOptions>();
  });

  it("types each option as documented", () => {
    type Documented = Exclude<keyof ClientOptions, "webSocketImpl">;
    expectTypeOf<Pick<ClientOptions, Documented>>().toEqualTypeOf<{
      baseUrl?: string | undefined;
      allowInsecureHttp?: boolean | undefined;
      clientId?: string | undefined;
      clientSecret?: string | undefined;
      clientAuthentication?: ClientAuthenticationMethod | undefined;
      scopes?: readonly string[] | undefined;
      redirectUri?: string | undefined;
      state?: string | undefined;
      skipStateCheck?: boolean | undefined;
      verifier?: string | undefined;
      tokenStore?: TokenStore | undefined;
      tokenStoreKey?: string | undefined;
      fetch?: typeof globalThis.fetch | undefined;
      timeout?: number | undefined;
      refreshLeeway?: number | undefined;
      retry?: Partial<RetryOptions> | false | undefined;
      silentRenewalTimeout?: number | undefined;
      logoutUri?: string | undefined;
      subscriptionRetry?: Partial<SubscriptionRetryOptions> | false | undefined;
      onEvent?: ((event: ClientEvent) => void) | undefined;
    }>();
    // graphql-ws's option: checked at run time (a WebSocket constructor), since Node's and ws's types differ.
    expectTypeOf<ClientOptions["webSocketImpl"]>().toBeUnknown();
    expectTypeOf<ClientAuthenticationMethod>().toEqualTypeOf<"body" | "basic">();
  });

  it("takes any TokenStore, a readonly scope list, and refuses a wrong type", () => {
    expectTypeOf({ tokenStore: memoryStore() }).toExtend<ClientOptions>();
    expectTypeOf({ scopes: ["users", "offline"] as const }).toExtend<ClientOptions>();
    expectTypeOf({ clientId: 42 }).not.toExtend<ClientOptions>();
    expectTypeOf({ clientAuthentication: "header" }).not.toExtend<ClientOptions>();
    expectTypeOf({ timeout: "10s" }).not.toExtend<ClientOptions>();
    expectTypeOf({ retry: false as const }).toExtend<ClientOptions>();
    expectTypeOf({ retry: { limit: 5 } }).toExtend<ClientOptions>();
    expectTypeOf({ retry: true }).not.toExtend<ClientOptions>();
    expectTypeOf({ subscriptionRetry: { maxDelay: 5_000 } }).toExtend<ClientOptions>();
    expectTypeOf({ subscriptionRetry: { maxRetryAfter: 5_000 } }).not.toExtend<ClientOptions>();
    expectTypeOf<SubscriptionRetryOptions>().toEqualTypeOf<{
      limit: number;
      baseDelay: number;
      maxDelay: number;
    }>();
    expectTypeOf<RetryOptions>().toEqualTypeOf<{
      limit: number;
      baseDelay: number;
      maxDelay: number;
      maxRetryAfter: number;
    }>();
  });
});
