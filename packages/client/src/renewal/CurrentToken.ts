import type { Token } from "../token/Token";

/**
 * The client's current token as the renewal and the store see it: the token manager holds it, and
 * tells its listeners of every change. A change made while a renewal or a load was under way bumps
 * `generation`, so the outcome of that older work does not undo it.
 *
 * @example
 * declare const current: CurrentToken;
 * declare function renew(): Promise<Token>;
 * const generation = current.generation();
 * const token = await renew();
 * if (current.generation() === generation) current.set(token);
 */
export interface CurrentToken {
  /** The current token, or `null`. */
  token(): Token | null;
  /** Counts changes of the current token. */
  generation(): number;
  /** Makes `token` the current one and tells the listeners; writes nothing to the store. */
  set(token: Token | null): void;
}
