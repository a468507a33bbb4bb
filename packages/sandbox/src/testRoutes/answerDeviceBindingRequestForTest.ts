import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { answerDeviceBindingRequest } from "../deviceBinding/answerDeviceBindingRequest";
import { ApiError } from "../http/ApiError";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/**
 * Confirms or rejects the device binding request `requestId` as the user would from the e-mail.
 *
 * @throws {ApiError} 404 for an unknown request; 409 when it was already confirmed or rejected.
 */
export function answerDeviceBindingRequestForTest(
  runtime: SandboxRuntime,
  requestId: string,
  isConfirmation: boolean,
): void {
  const request = runtime.store.deviceBindingRequests.get(requestId);
  if (request === undefined) throw new ApiError(404, "Device binding request not found.");
  answerDeviceBindingRequest(request, isConfirmation, runtime.now());
}

function answerRoute(runtime: SandboxRuntime, isConfirmation: boolean): SandboxRoute {
  const build = isConfirmation
    ? sandboxPaths.confirmDeviceBindingRequest
    : sandboxPaths.rejectDeviceBindingRequest;
  return {
    method: "POST",
    path: routePattern(build, "requestId"),
    counted: false,
    handler: (c) => {
      answerDeviceBindingRequestForTest(runtime, c.req.param("requestId") ?? "", isConfirmation);
      return c.body(null, 204);
    },
  };
}

/**
 * `POST /sandbox/device-binding-requests/{requestId}/confirm` and `/reject` (any body is ignored): the
 * user's click in the device binding e-mail. Answers 204; 404 for an unknown request; 409 when it was
 * already confirmed or rejected.
 */
export function answerDeviceBindingRequestForTestRoutes(runtime: SandboxRuntime): SandboxRoute[] {
  return [answerRoute(runtime, true), answerRoute(runtime, false)];
}
