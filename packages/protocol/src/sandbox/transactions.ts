import * as z from "zod/mini";
import { nonEmptyString } from "../fields";

/**
 * The largest `amount` (in cents, either sign) of `POST /sandbox/transactions`: GraphQL's `Int` is a signed
 * 32-bit integer, and `amount` and `balance` are `Int`s in Kontist's schema.
 */
export const maxSandboxTransactionAmount = 2_147_483_647;

/** The longest `name` of `POST /sandbox/transactions`. */
export const maxSandboxTransactionNameLength = 255;

/**
 * Body of `POST /sandbox/transactions`: books a transaction of `amount` cents (negative for money going
 * out) on the main account of the user with the login `email` (default: the first seeded user,
 * `demo@example.com`), changes its balance, and publishes `newTransaction { id amount name }` to that
 * user's GraphQL subscribers. `name` is the counterparty, as Kontist's `Transaction.name`.
 *
 * @example
 * sandboxTransactionRequestSchema.parse({ amount: -1250, name: "Coffee Roasters GmbH" });
 */
export const sandboxTransactionRequestSchema = z.object({
  amount: z.int().check(z.minimum(-maxSandboxTransactionAmount), z.maximum(maxSandboxTransactionAmount)),
  name: z.optional(z.string().check(z.maxLength(maxSandboxTransactionNameLength))),
  email: z.optional(z.string().check(z.minLength(1), z.maxLength(320))),
});
export type SandboxTransactionRequest = z.infer<typeof sandboxTransactionRequestSchema>;

/** Answer (201) of `POST /sandbox/transactions`: the id the transaction has in `newTransaction`. */
export const sandboxTransactionSchema = z.object({ id: nonEmptyString });
export type SandboxTransaction = z.infer<typeof sandboxTransactionSchema>;
