import { paths, sleep } from "@kontist-auth/protocol";
import type { SandboxTransactionRequest } from "@kontist-auth/protocol/sandbox";
import type { Sandbox } from "./sandboxSupport";

// What the subscription tests (Node and Chromium) share: the `newTransaction` subscription, and the
// sandbox's side of it — booking transactions until one is delivered, and counting WebSocket handshakes.

/** The sandbox's (and Kontist's) subscription to the user's new transactions. */
export const newTransaction = "subscription { newTransaction { id amount name } }";

/** One `newTransaction` event's data. */
export interface NewTransaction {
  newTransaction: { id: string; amount: number; name: string | null };
}

/** The WebSocket handshakes the sandbox has seen at `/api/graphql` (`/sandbox/stats`, `GET /api/graphql`). */
export async function graphQLHandshakes(at: Pick<Sandbox, "test">): Promise<number> {
  return (await at.test.stats()).requests[`GET ${paths.graphQL}`] ?? 0;
}

/**
 * Books transactions (`POST /sandbox/transactions`) until `delivered()` grows: a subscription is live
 * only once an event reached it, never right after `subscribe()`. Each booking gets 200 ms to arrive
 * before the next is booked. `delivered` counts what arrived (for several subscriptions, the fewest any
 * of them has); it may read a browser page. Returns the ids booked.
 *
 * @throws {Error} when nothing arrived after 100 bookings.
 */
export async function bookUntilDelivered(
  at: Pick<Sandbox, "test">,
  request: SandboxTransactionRequest,
  delivered: () => number | Promise<number>,
): Promise<string[]> {
  const before = await delivered();
  const booked: string[] = [];
  for (let attempt = 0; attempt < 100; attempt += 1) {
    booked.push((await at.test.bookTransaction(request)).id);
    for (let wait = 0; wait < 20; wait += 1) {
      await sleep(10);
      if ((await delivered()) > before) return booked;
    }
  }
  throw new Error("no transaction was delivered");
}

/**
 * Books `count` transactions one after another (each answered before the next is booked), named
 * `${prefix} 1` … `${prefix} count`; returns their ids in booking order.
 */
export async function bookInOrder(
  at: Pick<Sandbox, "test">,
  count: number,
  prefix: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    ids.push((await at.test.bookTransaction({ amount: index, name: `${prefix} ${index}` })).id);
  }
  return ids;
}

/** Server log lines of a WebSocket at `/api/graphql` closing (`WebSocket /api/graphql closed 1000 after 12ms`). */
export const webSocketClosedLine = new RegExp(`^WebSocket ${paths.graphQL} closed (\\d+) `);

/** The close codes of the WebSockets that closed, as the sandbox logged them in `lines`. */
export function closedWebSockets(lines: readonly string[]): number[] {
  return lines.flatMap((line) => {
    const code = webSocketClosedLine.exec(line)?.[1];
    return code === undefined ? [] : [Number(code)];
  });
}
