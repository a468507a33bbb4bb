import { describe, expect, it } from "vitest";
import { Token } from "../token/Token";
import { isDue } from "./isDue";

const now = Date.now();
const token = (lifetimeMs: number, leftMs: number) =>
  new Token({
    accessToken: "at",
    issuedAt: new Date(now + leftMs - lifetimeMs),
    expiresAt: new Date(now + leftMs),
  });

describe("isDue", () => {
  it("is due within refreshLeeway of expiry", () => {
    expect(isDue(token(3_600_000, 40_000), 30_000)).toBe(false);
    expect(isDue(token(3_600_000, 20_000), 30_000)).toBe(true);
  });

  it("is due after half the lifetime of a token shorter-lived than twice the leeway", () => {
    expect(isDue(token(20_000, 12_000), 30_000)).toBe(false);
    expect(isDue(token(20_000, 8_000), 30_000)).toBe(true);
  });
});
