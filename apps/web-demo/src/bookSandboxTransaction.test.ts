import { startSandbox } from "@kontist-auth/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookSandboxTransaction } from "./bookSandboxTransaction";

let sandbox: Awaited<ReturnType<typeof startSandbox>>;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox?.close();
});

describe("bookSandboxTransaction", () => {
  it("books a transaction in the sandbox and returns its id", async () => {
    const id = await bookSandboxTransaction(sandbox.url, {
      amount: -499,
      name: "Test transaction (sandbox)",
      email: "demo@example.com",
    });
    expect(id).toMatch(/\S/);
    const again = await bookSandboxTransaction(sandbox.url, { amount: 100 });
    expect(again).not.toBe(id);
  });

  it("throws the sandbox's status and message for a booking it refuses", async () => {
    await expect(
      bookSandboxTransaction(sandbox.url, { amount: 1, email: "nobody@example.com" }),
    ).rejects.toThrow(/^The sandbox answered 404 to POST \/sandbox\/transactions: No user has that login/);
    await expect(bookSandboxTransaction(sandbox.url, { amount: 1.5 })).rejects.toThrow(
      /^The sandbox answered 400 to POST \/sandbox\/transactions/,
    );
  });

  it("stops when its signal aborts", async () => {
    await expect(
      bookSandboxTransaction(sandbox.url, { amount: 1 }, AbortSignal.abort()),
    ).rejects.toMatchObject({ name: "AbortError" });
  });
});
