import { deviceGraphQL, paths } from "@kontist-auth/protocol";
import { sendGraphQLRequest } from "../graphql/sendGraphQLRequest";
import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";

/** The name of one of protocol's device GraphQL documents, e.g. `listBoundDevices`. */
export type DeviceOperation = keyof typeof deviceGraphQL;

/**
 * Runs one of protocol's device GraphQL documents and returns the answer's `data`, to be parsed with
 * the operation's schema (named by {@link deviceOperationSource} in a `ResponseValidationError`).
 *
 * @throws {NoTokenError} when the client holds no token (device operations are never anonymous).
 * @throws the errors of `sendGraphQLRequest` ({@link GraphQLError}, `UnauthorizedError`, `HttpError`,
 *   `ResponseValidationError`, `NetworkError`, `TimeoutError`), or the `reason` of `signal`.
 * @example
 * import type { AuthenticatedTransport } from "../http/AuthenticatedTransport";
 *
 * declare const api: AuthenticatedTransport;
 * const data = await sendDeviceOperation(api, "listBoundDevices", undefined, undefined);
 */
export function sendDeviceOperation(
  api: AuthenticatedTransport,
  operation: DeviceOperation,
  variables: Record<string, unknown> | undefined,
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown>> {
  return sendGraphQLRequest(api, { query: deviceGraphQL[operation], variables, signal });
}

/**
 * What a device operation's `data` is called in a `ResponseValidationError`.
 *
 * @example
 * deviceOperationSource("listBoundDevices"); // "POST /api/graphql listBoundDevices data"
 */
export function deviceOperationSource(operation: DeviceOperation): string {
  return `POST ${paths.graphQL} ${operation} data`;
}
