import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { answerDeviceBindingRequest } from "../deviceBinding/answerDeviceBindingRequest";
import { ApiError } from "../http/ApiError";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";

function answerRoute(runtime: SandboxRuntime, isConfirmation: boolean): SandboxRoute {
  const build = isConfirmation
    ? sandboxPaths.confirmDeviceBindingRequest
    : sandboxPaths.rejectDeviceBindingRequest;
  return {
    method: "POST",
    path: routePattern(build, "requestId"),
    counted: false,
    handler: (c) => {
      const request = runtime.store.deviceBindingRequests.get(c.req.param("requestId") ?? "");
      if (request === undefined) throw new ApiError(404, "Device binding request not found.");
      answerDeviceBindingRequest(request, isConfirmation, runtime.now());
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
