import type { Client, KontistAuthError } from "@kontist-auth/client";

/** A transaction as `newTransaction { id amount name }` sends it (three fields of Kontist's `Transaction`). */
export interface NewTransaction {
  id: string;
  /** In cents, negative for money going out. */
  amount: number;
  name: string | null;
}

/** The subscription the page follows: banking data, so it needs a confirmed token. */
export const newTransactionSubscription = "subscription { newTransaction { id amount name } }";

/** What {@link followNewTransactions} reports to, and what ends it. */
export interface FollowNewTransactionsOptions {
  /** Ends the subscription; no callback is called after it (logout, another account load, page unload). */
  signal: AbortSignal;
  /** Each new transaction, as it arrives. */
  onTransaction: (transaction: NewTransaction) => void;
  /** The balance read again after a transaction, in cents; `undefined` when the user has no main account. */
  onBalance: (balance: number | undefined) => void;
  /** Reading the balance again failed; the subscription goes on. */
  onBalanceError: (error: unknown) => void;
  /**
   * The subscription ended by itself: with its error (a `GraphQLError` when the token is not confirmed, a
   * `TokenRenewalError` when renewing the token failed, …), or `undefined` when the server completed it.
   */
  onEnd: (error: KontistAuthError | undefined) => void;
}

/**
 * Follows the user's new transactions live (`client.graphQL.subscribe`, over the client's one WebSocket)
 * and reads `viewer.mainAccount.balance` again after each one.
 *
 * The balance is read again rather than summed up from the amounts: the API's balance is the truth, and a
 * sum would stay wrong for good after one missed event (booked while the connection was down), or when
 * the account changed by other means. Only the newest read counts, so an older one answering late cannot
 * overwrite a newer balance.
 *
 * @throws {TypeError} when the client cannot subscribe (a browser without `WebSocket`); nothing is sent.
 * @example
 * declare const client: Client;
 * const feed = new AbortController();
 * followNewTransactions(client, {
 *   signal: feed.signal,
 *   onTransaction: ({ amount, name }) => console.log(amount, name),
 *   onBalance: (balance) => console.log(balance),
 *   onBalanceError: console.error,
 *   onEnd: (error) => console.log(error?.code ?? "completed"),
 * });
 * feed.abort(); // on logout
 */
export function followNewTransactions(client: Client, options: FollowNewTransactionsOptions): void {
  const { signal } = options;
  let reads = 0;
  const readBalance = async (): Promise<void> => {
    const read = ++reads;
    try {
      const { viewer } = await client.graphQL.rawQuery<{
        viewer: { mainAccount: { balance: number } | null };
      }>("{ viewer { mainAccount { balance } } }");
      if (!signal.aborted && read === reads) options.onBalance(viewer.mainAccount?.balance);
    } catch (error) {
      if (!signal.aborted && read === reads) options.onBalanceError(error);
    }
  };
  client.graphQL.subscribe<{ newTransaction: NewTransaction }>(newTransactionSubscription, {
    signal,
    next: ({ newTransaction }) => {
      if (signal.aborted) return;
      options.onTransaction(newTransaction);
      void readBalance();
    },
    error: (error) => {
      if (!signal.aborted) options.onEnd(error);
    },
    complete: () => {
      if (!signal.aborted) options.onEnd(undefined);
    },
  });
}
