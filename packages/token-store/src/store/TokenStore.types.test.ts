import { describe, expectTypeOf, it } from "vitest";
import { fileStore } from "../file/index";
import {
  type LockingTokenStore,
  memoryStore,
  type StoredToken,
  type TokenStore,
  type TokenStoreLock,
  type TokenStoreLockOptions,
  webStorageStore,
} from "../index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold.
describe("TokenStore (types)", () => {
  it("is three async methods, an optional lock and an optional watch", () => {
    expectTypeOf<keyof TokenStore>().toEqualTypeOf<"get" | "set" | "delete" | "lock" | "watch">();
    expectTypeOf<TokenStore["get"]>().toEqualTypeOf<(key: string) => Promise<StoredToken | undefined>>();
    expectTypeOf<TokenStore["set"]>().toEqualTypeOf<(key: string, token: StoredToken) => Promise<void>>();
    expectTypeOf<TokenStore["delete"]>().toEqualTypeOf<(key: string) => Promise<void>>();
    expectTypeOf<TokenStore["lock"]>().toEqualTypeOf<
      ((key: string, options?: TokenStoreLockOptions) => Promise<TokenStoreLock>) | undefined
    >();
    expectTypeOf<TokenStore["watch"]>().toEqualTypeOf<
      ((key: string, onChange: () => void) => () => void) | undefined
    >();
  });

  it("has a lock that is held, written through and released, all async", () => {
    expectTypeOf<TokenStoreLock>().toEqualTypeOf<{
      release(): Promise<void>;
      set(token: StoredToken): Promise<void>;
      delete(): Promise<void>;
    }>();
    expectTypeOf<TokenStoreLockOptions>().toEqualTypeOf<{ ttlMs?: number; timeoutMs?: number }>();
    expectTypeOf<LockingTokenStore>().toExtend<TokenStore>();
    expectTypeOf<LockingTokenStore["lock"]>().toEqualTypeOf<
      (key: string, options?: TokenStoreLockOptions) => Promise<TokenStoreLock>
    >();
  });

  it("keeps a StoredToken as plain JSON-safe data", () => {
    expectTypeOf<StoredToken>().toEqualTypeOf<{
      accessToken: string;
      refreshToken?: string | undefined;
      tokenType: string;
      expiresAt?: number | undefined;
      scopes: string[];
    }>();
    expectTypeOf({ accessToken: "a", tokenType: "Bearer", scopes: [] }).toExtend<StoredToken>();
    expectTypeOf({
      accessToken: "a",
      tokenType: "Bearer",
      scopes: [],
      expiresAt: new Date(),
    }).not.toExtend<StoredToken>();
  });

  it("is what the package's stores are; memory and file stores always lock", () => {
    expectTypeOf(memoryStore).returns.toEqualTypeOf<LockingTokenStore>();
    expectTypeOf(fileStore).returns.toExtend<LockingTokenStore>();
    expectTypeOf(webStorageStore).returns.toExtend<TokenStore>();
  });
});
