import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { pageHeaders, renderErrorPage } from "../authorize/renderPage";
import { renderDeviceBindingRequestPage } from "../deviceBinding/renderDeviceBindingRequestPage";
import { routePattern } from "../http/routePattern";
import type { SandboxRoute } from "../http/SandboxRoute";
import type { SandboxRuntime } from "../server/SandboxRuntime";

/**
 * `GET /sandbox/device-binding-requests/{requestId}`: the page the link of a device binding e-mail opens
 * (200 HTML: the device, IP address and place, and "Confirm" / "Reject" buttons while unanswered); 404
 * HTML for an unknown request.
 */
export function showDeviceBindingRequestRoute(runtime: SandboxRuntime): SandboxRoute {
  return {
    method: "GET",
    path: routePattern(sandboxPaths.deviceBindingRequestPage, "requestId"),
    counted: false,
    handler: (c) => {
      const request = runtime.store.deviceBindingRequests.get(c.req.param("requestId") ?? "");
      const email = request && runtime.store.users.get(request.userId)?.email;
      if (request === undefined || email === undefined) {
        return c.html(renderErrorPage(404, "Device binding request not found."), 404, pageHeaders);
      }
      return c.html(renderDeviceBindingRequestPage(request, email), 200, pageHeaders);
    },
  };
}
