import { assertSuccess } from "./processApiResponse";
import type { TransportResponse } from "./Transport";

/**
 * The processing step of a call answered with 204 No Content: checks the status; any body is ignored.
 *
 * @throws {UnauthorizedError} for 401.
 * @throws {HttpError} for any other non-2xx answer.
 * @example
 * processEmptyResponse(await transport.send({ method: "POST", path: paths.verifyDevice(deviceId), json }));
 */
export function processEmptyResponse(response: TransportResponse): void {
  assertSuccess(response);
}
