import type { Context } from "../Context";
import { cancelled } from "../errors";
import { parseVariables } from "./graphql";

/**
 * `subscribe '<subscription>' [--variables json]`: runs a GraphQL subscription over Kontist's WebSocket
 * with the profile's token and prints each event's `data` as one JSON line on stdout, until Ctrl-C
 * (exit 130) or the server completes it (exit 0). The client renews the token when the server closes the
 * connection for an expired one, and reconnects after network drops.
 *
 * @throws {CliError} `USAGE` for bad `--variables`, `CANCELLED` on Ctrl-C; the client's errors
 *   (`GRAPHQL_ERROR` for a refused subscription, e.g. status 403 without a confirmed token;
 *   `WEBSOCKET_CLOSED`, `NETWORK_ERROR`, `TOKEN_RENEWAL_FAILED`, …).
 */
export async function subscribe(
  context: Context,
  query: string,
  options: { variables?: string | undefined },
): Promise<void> {
  const variables = parseVariables(options.variables);
  // Node 20 has no global WebSocket; the `ws` package stands in (loaded only for this command).
  const webSocketImpl = globalThis.WebSocket ?? (await import("ws")).default;
  const { client } = await context.loggedInClient({ webSocketImpl });
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort();
  process.on("SIGINT", onInterrupt);
  try {
    context.terminal.note("Subscribed; events follow as JSON lines (Ctrl-C to stop).");
    for await (const data of client.graphQL.subscribe(query, { variables, signal: interrupt.signal })) {
      context.terminal.result(data, [JSON.stringify(data)]);
    }
  } catch (error) {
    // The loop ends with the signal's reason (an AbortError) once Ctrl-C aborted it.
    if (!interrupt.signal.aborted) throw error;
  } finally {
    process.removeListener("SIGINT", onInterrupt);
  }
  if (interrupt.signal.aborted) throw cancelled("Stopped: the subscription is ended.");
}
