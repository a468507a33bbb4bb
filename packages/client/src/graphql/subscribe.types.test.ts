import { describe, expectTypeOf, it } from "vitest";
import type { Client, KontistAuthError, SubscribeIterableOptions, SubscribeOptions } from "../index";

// Type-level tests: `tsc --noEmit` (the package's typecheck) fails when an assertion does not hold. The
// calls sit in functions that never run: only their types are checked.
type Event = { newTransaction: { id: string } };
const query = "subscription { newTransaction { id } }";

describe("client.graphQL.subscribe (types)", () => {
  it("with next: the callback form, returning the function that ends it", () => {
    const callbackForm = (client: Client) =>
      client.graphQL.subscribe<Event>(query, {
        next: (data) => expectTypeOf(data).toEqualTypeOf<Event>(),
        error: (error) => expectTypeOf(error).toEqualTypeOf<KontistAuthError>(),
        complete: () => {},
        variables: { first: 1 },
        signal: AbortSignal.timeout(1_000),
      });
    expectTypeOf(callbackForm).returns.toEqualTypeOf<() => void>();
  });

  it("without next: an async iterator of the data", () => {
    const typed = (client: Client) => client.graphQL.subscribe<Event>(query);
    expectTypeOf(typed).returns.toEqualTypeOf<AsyncIterableIterator<Event>>();
    const untyped = (client: Client) =>
      client.graphQL.subscribe(query, { variables: { first: 1 }, signal: new AbortController().signal });
    expectTypeOf(untyped).returns.toEqualTypeOf<AsyncIterableIterator<Record<string, unknown>>>();
  });

  it("refuses the old object form, callbacks without next, and unknown options", () => {
    const refused = (client: Client) => [
      // @ts-expect-error: the query is the first argument
      client.graphQL.subscribe({ query, next: () => {} }),
      // @ts-expect-error: error goes with next
      client.graphQL.subscribe(query, { error: () => {} }),
      // @ts-expect-error: onNext is gone
      client.graphQL.subscribe(query, { onNext: () => {} }),
    ];
    expectTypeOf(refused).toBeFunction();
    expectTypeOf<SubscribeOptions<Event>>().toExtend<SubscribeIterableOptions>();
    expectTypeOf<SubscribeIterableOptions>().toEqualTypeOf<{
      variables?: Record<string, unknown> | undefined;
      signal?: AbortSignal | undefined;
    }>();
  });
});
