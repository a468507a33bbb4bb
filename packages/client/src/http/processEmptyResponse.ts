import { assertSuccess } from "./processApiResponse";
import type { TransportResponse } from "./Transport";

/**
 * The processing step of a call answered with 204 No Content: checks the status; any body is ignored.
 *
 * @throws {UnauthorizedError} for 401.
 * @throws {HttpError} for any other non-2xx answer.
 * @example
 * import { paths } from "@kontist-auth/protocol";
 * import type { Transport } from "./Transport";
 * declare const transport: Transport;
 * const json = { challengeId: "challenge-1", signature: "…" };
 * processEmptyResponse(await transport.send({ method: "POST", path: paths.verifyDevice("device-1"), json }));
 */
export function processEmptyResponse(response: TransportResponse): void {
  assertSuccess(response);
}
