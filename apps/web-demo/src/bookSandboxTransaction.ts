/** The sandbox's route that books a transaction (`packages/sandbox`, test support; not at Kontist). */
const transactionsPath = "/sandbox/transactions";

/** What the sandbox books: `POST /sandbox/transactions` `{ amount, name?, email? }`. */
export interface SandboxTransactionRequest {
  /** In cents, negative for money going out. */
  amount: number;
  /** The name the transaction shows. */
  name?: string;
  /** The login of the user whose main account it is booked on (default: the first seeded user). */
  email?: string;
}

/**
 * Books a transaction in the local sandbox, as the bank would: it changes the user's balance and arrives
 * on their `newTransaction` subscriptions. The sandbox answers loopback origins (CORS), and loopback hosts
 * only, so this works only against a local sandbox.
 *
 * @returns the id the transaction has in `newTransaction`.
 * @throws {Error} when the sandbox answers another status than 201 (its `message` in the error's).
 * @throws {TypeError} when the sandbox cannot be reached (`fetch`'s network error).
 * @throws {DOMException} (`AbortError`) when `signal` aborts.
 * @example
 * await bookSandboxTransaction("http://127.0.0.1:4010", { amount: -1250, name: "Coffee" }); // "…"
 */
export async function bookSandboxTransaction(
  apiUrl: string,
  request: SandboxTransactionRequest,
  signal?: AbortSignal,
): Promise<string> {
  const response = await fetch(new URL(transactionsPath, apiUrl), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
    signal,
  });
  const body = (await response.json().catch(() => ({}))) as { id?: unknown; message?: unknown };
  if (response.status !== 201 || typeof body.id !== "string") {
    const message = typeof body.message === "string" ? `: ${body.message}` : ".";
    throw new Error(`The sandbox answered ${response.status} to POST ${transactionsPath}${message}`);
  }
  return body.id;
}
