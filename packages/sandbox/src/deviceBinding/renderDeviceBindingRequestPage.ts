import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { escapeHtml } from "../authorize/escapeHtml";
import { renderPage } from "../authorize/renderPage";
import type { DeviceBindingRequestRecord } from "../state/SandboxStore";

const iso = (time: number) => new Date(time).toISOString();

/**
 * The page the link of a device binding e-mail opens: which device asks, from which IP address and place,
 * for which account, and — while the request is unanswered — "Confirm" and "Reject" buttons that post to
 * `POST /sandbox/device-binding-requests/{id}/confirm` and `/reject` (which answer 204, so the browser
 * stays on the page; reloading it shows the answer). No script.
 *
 * @example
 * import type { Context } from "hono";
 * import { pageHeaders } from "../authorize/renderPage";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * // GET /sandbox/device-binding-requests/{id}
 * function bindingRequestPage(runtime: SandboxRuntime, c: Context, id: string): Response {
 *   const request = runtime.store.deviceBindingRequests.get(id);
 *   const user = request && runtime.store.users.get(request.userId);
 *   if (request === undefined || user === undefined) return c.text("Not found.", 404);
 *   return c.html(renderDeviceBindingRequestPage(request, user.email), 200, pageHeaders);
 * }
 */
export function renderDeviceBindingRequestPage(request: DeviceBindingRequestRecord, email: string): string {
  let state: string;
  if (request.confirmedAt !== undefined) {
    state = `<p><strong>Confirmed</strong> at ${iso(request.confirmedAt)}.</p>`;
  } else if (request.rejectedAt !== undefined) {
    state = `<p><strong>Rejected</strong> at ${iso(request.rejectedAt)}.</p>`;
  } else {
    const confirm = escapeHtml(sandboxPaths.confirmDeviceBindingRequest(request.id));
    const reject = escapeHtml(sandboxPaths.rejectDeviceBindingRequest(request.id));
    state = `<form method="post" action="${confirm}"><button type="submit">Confirm</button></form>
<form method="post" action="${reject}"><button type="submit">Reject</button></form>
<p>The sandbox answers a click with 204 No Content: reload this page to see the answer.</p>`;
  }
  return renderPage(
    "Confirm your new device",
    `<h1>Kontist sandbox</h1>
<p>A device named <strong>${escapeHtml(request.deviceName)}</strong> asks to be bound to the account
<strong>${escapeHtml(email)}</strong>.</p>
<p>IP address: <code>${escapeHtml(request.ipAddress)}</code><br>
Place: ${escapeHtml(request.address)}<br>
Requested at ${iso(request.createdAt)}</p>
${state}`,
  );
}
