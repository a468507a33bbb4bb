import {
  type SandboxTransaction,
  sandboxPaths,
  sandboxTransactionRequestSchema,
} from "@kontist-auth/protocol/sandbox";
import { ApiError } from "../http/ApiError";
import { readJsonBody } from "../http/readJsonBody";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";
import { bookTransaction } from "../transactions/bookTransaction";

/**
 * `POST /sandbox/transactions` `{ amount, name?, email? }` (`sandboxTransactionRequestSchema`): books a
 * transaction of `amount` cents on the main account of the user whose login is `email` (any case; by
 * default the first seeded user, `demo@example.com` with the default seeds), changes
 * `viewer.mainAccount.balance` and publishes `newTransaction { id amount name }` to that user's GraphQL
 * subscriptions, and only theirs. Answers 201 `{ id }`; 400 for a bad body (an `amount` that is not an
 * integer within ±2,147,483,647, a `name` over 255 characters), 415 for a body that is not JSON, 404 for
 * an unknown `email`, 409 when the balance would leave GraphQL's `Int` range.
 */
export function bookTransactionForTestRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "POST",
    path: sandboxPaths.transactions,
    counted: false,
    handler: async (c) => {
      const request = await readJsonBody(c, sandboxTransactionRequestSchema);
      const { store } = runtime;
      const user =
        request.email === undefined
          ? store.users.values().next().value
          : store.findUserByEmail(request.email);
      if (user === undefined) throw new ApiError(404, "No user has that login (email).");
      const transaction = bookTransaction(runtime, user, { amount: request.amount, name: request.name });
      const body: SandboxTransaction = { id: transaction.id };
      return c.json(body, 201);
    },
  };
}
