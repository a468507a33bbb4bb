import { describe, expect, it } from "vitest";
import { sandboxPaths } from "./sandboxPaths";
import {
  maxSandboxTransactionAmount,
  sandboxTransactionRequestSchema,
  sandboxTransactionSchema,
} from "./transactions";

describe("sandboxTransactionRequestSchema", () => {
  it("reads an integer amount in cents, an optional name and an optional user e-mail", () => {
    expect(sandboxTransactionRequestSchema.parse({ amount: -1250 })).toEqual({ amount: -1250 });
    const full = { amount: 5000, name: "Coffee Roasters GmbH", email: "other@example.com" };
    expect(sandboxTransactionRequestSchema.parse(full)).toEqual(full);
    expect(sandboxTransactionRequestSchema.parse({ amount: maxSandboxTransactionAmount }).amount).toBe(
      2_147_483_647,
    );
  });

  it("refuses amounts that are not 32-bit integers, long names and an empty e-mail", () => {
    for (const body of [
      {},
      { amount: 12.5 },
      { amount: "100" },
      { amount: 2_147_483_648 },
      { amount: -2_147_483_648 },
      { amount: Number.NaN },
      { amount: 1, name: "x".repeat(256) },
      { amount: 1, name: 7 },
      { amount: 1, email: "" },
    ]) {
      expect(sandboxTransactionRequestSchema.safeParse(body).success).toBe(false);
    }
    expect(sandboxTransactionRequestSchema.safeParse({ amount: 1, name: "x".repeat(255) }).success).toBe(
      true,
    );
  });
});

describe("sandboxTransactionSchema", () => {
  it("is the id of the booked transaction", () => {
    expect(sandboxTransactionSchema.parse({ id: "t-1" })).toEqual({ id: "t-1" });
    expect(sandboxTransactionSchema.safeParse({ id: "" }).success).toBe(false);
  });
});

describe("sandboxPaths.transactions", () => {
  it("is the test-support path that books a transaction", () => {
    expect(sandboxPaths.transactions).toBe("/sandbox/transactions");
  });
});
