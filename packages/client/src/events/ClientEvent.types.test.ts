import { describe, expectTypeOf, it } from "vitest";
import type { ClientEvent, ClientOptions } from "../index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
describe("ClientEvent (types)", () => {
  it("is a union told apart by `type`", () => {
    expectTypeOf<ClientEvent["type"]>().toEqualTypeOf<
      | "renewal.started"
      | "renewal.succeeded"
      | "renewal.failed"
      | "store.lockWaited"
      | "request.unauthorizedRetried"
      | "request.retried"
      | "subscription.reconnected"
    >();
    expectTypeOf<ClientOptions["onEvent"]>().toEqualTypeOf<((event: ClientEvent) => void) | undefined>();
  });

  it("narrows to each event's fields", () => {
    expectTypeOf<Extract<ClientEvent, { type: "renewal.failed" }>>().toEqualTypeOf<{
      type: "renewal.failed";
      durationMs: number;
      code: string;
      status?: number | undefined;
      oauthError?: string | undefined;
    }>();
    expectTypeOf<Extract<ClientEvent, { type: "request.retried" }>>().toEqualTypeOf<{
      type: "request.retried";
      method: string;
      path: string;
      attempt: number;
      delayMs: number;
      status?: number | undefined;
      code?: string | undefined;
    }>();
    expectTypeOf<Extract<ClientEvent, { type: "store.lockWaited" }>>().toEqualTypeOf<{
      type: "store.lockWaited";
      waitMs: number;
      acquired: boolean;
    }>();
    expectTypeOf<Extract<ClientEvent, { type: "subscription.reconnected" }>>().toEqualTypeOf<{
      type: "subscription.reconnected";
      attempt: number;
      delayMs: number;
      closeCode?: number | undefined;
    }>();
  });
});
