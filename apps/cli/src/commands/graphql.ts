import type { Context } from "../Context";
import { CliError, exitCodes } from "../errors";

/**
 * `graphql '<query>' [--variables json]`: runs a query or mutation with the profile's token (renewed when
 * needed) and prints its `data` as JSON.
 *
 * @throws {CliError} `USAGE` when `--variables` is not a JSON object; the client's `GRAPHQL_ERROR` (its
 *   message names the API's errors) and request errors.
 */
export async function graphql(
  context: Context,
  query: string,
  options: { variables?: string | undefined },
): Promise<void> {
  const variables = parseVariables(options.variables);
  const { client } = await context.loggedInClient();
  const data = await client.graphQL.rawQuery(query, variables);
  if (context.terminal.json) context.terminal.result(data, []);
  else context.terminal.result(data, [JSON.stringify(data, null, 2)]);
}

/**
 * Parses `--variables`.
 *
 * @throws {CliError} `USAGE` when it is not a JSON object.
 */
export function parseVariables(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError("USAGE", "--variables is not valid JSON.", exitCodes.usage);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError("USAGE", "--variables must be a JSON object.", exitCodes.usage);
  }
  return value as Record<string, unknown>;
}
