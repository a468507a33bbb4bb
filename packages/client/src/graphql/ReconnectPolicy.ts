import { sleep } from "@kontist-auth/protocol";
import { isCloseLike } from "./subscriptionErrors";

/** graphql-ws's close code for a refused connection (its `onConnect` said no), and for a token that expired. */
const forbidden = 4403;

/**
 * When the shared GraphQL WebSocket reconnects, and how long it waits first (graphql-ws's `shouldRetry`
 * and `retryWait`). After a close it reconnects with backoff (2^retries s plus 0.3–3 s); after 4403
 * Forbidden it reconnects once, at once, with a renewed token, when the token can be renewed; a second
 * refusal in a row, or an error event (the socket failed, or getting a token failed), ends it.
 *
 * @example
 * import { createClient } from "graphql-ws";
 *
 * const policy = new ReconnectPolicy(() => client.auth.tokenManager.canRenew);
 * const url = "wss://api.kontist.com/api/graphql";
 * createClient({ url, shouldRetry: (e) => policy.shouldRetry(e), retryWait: (n) => policy.retryWait(n) });
 */
export class ReconnectPolicy {
  readonly #canRenew: () => boolean;
  /** The next connection renews the token first: the server refused the one it had. */
  #renewBeforeConnecting = false;
  /** A token was renewed after a refusal, and no connection was accepted since. */
  #renewedAfterRefusal = false;
  /** Whether each close was retried: graphql-ws asks once per subscription, about the same event. */
  readonly #retried = new WeakMap<object, boolean>();

  /** @param canRenew - whether the token can be renewed now (`tokenManager.canRenew`). */
  constructor(canRenew: () => boolean) {
    this.#canRenew = canRenew;
  }

  /**
   * Whether graphql-ws reconnects after `errorOrClose` (fatal codes never get here): after a close,
   * yes, except after 4403 Forbidden, retried once with a renewed token when it can be renewed; after
   * an error event, no. The same close gets the same answer each time it is asked about.
   */
  shouldRetry(errorOrClose: unknown): boolean {
    if (!isCloseLike(errorOrClose)) return false;
    const decided = this.#retried.get(errorOrClose);
    if (decided !== undefined) return decided;
    let retry = true;
    if (errorOrClose.code === forbidden) {
      retry = !this.#renewedAfterRefusal && this.#canRenew();
      if (retry) {
        this.#renewedAfterRefusal = true;
        this.#renewBeforeConnecting = true;
      }
    }
    this.#retried.set(errorOrClose, retry);
    return retry;
  }

  /** At once for a renewal after a refusal; else graphql-ws's backoff: 2^retries s plus 0.3–3 s. */
  async retryWait(retries: number): Promise<void> {
    if (this.#renewBeforeConnecting) return;
    // Spreads reconnections of many clients apart; not a secret, so Math.random is fine.
    await sleep(2 ** retries * 1000 + 300 + Math.floor(Math.random() * 2700));
  }

  /** Whether the connection being made must renew the token first; answers `true` once per refusal. */
  takeRenewal(): boolean {
    const renew = this.#renewBeforeConnecting;
    this.#renewBeforeConnecting = false;
    return renew;
  }

  /** The server accepted a connection: a later refusal may be retried again. */
  connected(): void {
    this.#renewedAfterRefusal = false;
  }
}
