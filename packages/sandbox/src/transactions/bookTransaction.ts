import { randomUUID } from "node:crypto";
import { maxSandboxTransactionAmount } from "@kontist-auth/protocol/sandbox";
import { ApiError } from "../http/ApiError";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import type { TransactionRecord, UserRecord } from "../state/SandboxStore";

/**
 * Books a transaction on `user`'s main account: records it, adds `amount` to the balance
 * (`viewer.mainAccount.balance`) and publishes it to the user's `newTransaction` subscriptions.
 *
 * @param amount - in cents, negative for money going out (already checked to be an integer).
 * @param name - the counterparty, if any.
 * @returns the booked transaction.
 * @throws {ApiError} 409 when the balance would leave the range of GraphQL's `Int` (±2,147,483,647 cents),
 *   in which `balance` is served; nothing is booked then.
 * @example
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 *
 * const runtime = createSandboxRuntime(resolveSandboxOptions());
 * const user = runtime.store.findUserByEmail("demo@example.com");
 * if (user !== undefined) {
 *   const { id } = bookTransaction(runtime, user, { amount: -1250, name: "Coffee Roasters GmbH" });
 *   user.balance; // 122206: the seeded 1,234.56 € less 12.50 €
 * }
 */
export function bookTransaction(
  runtime: SandboxRuntime,
  user: UserRecord,
  { amount, name }: { amount: number; name?: string | undefined },
): TransactionRecord {
  const balance = user.balance + amount;
  if (Math.abs(balance) > maxSandboxTransactionAmount) {
    throw new ApiError(
      409,
      `The transaction would take the balance out of range: it must stay within ±${maxSandboxTransactionAmount.toLocaleString("en-US")} cents.`,
    );
  }
  user.balance = balance;
  const transaction: TransactionRecord = {
    id: randomUUID(),
    userId: user.id,
    amount,
    name,
    bookedAt: runtime.now(),
  };
  runtime.store.transactions.set(transaction.id, transaction);
  runtime.newTransactions.publish(transaction);
  return transaction;
}
