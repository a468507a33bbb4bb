import { escapeHtml } from "../authorize/escapeHtml";
import { renderPage } from "../authorize/renderPage";
import type { SandboxStore } from "../state/SandboxStore";
import { phonePaths } from "./phonePaths";

/** How often the page reloads itself, in seconds. */
export const phonePageRefreshSeconds = 2;

/** The most entries a section shows (the newest); the rest are counted. */
const shownPerSection = 50;

const iso = (time: number) => new Date(time).toISOString();

/** A form post button to `action`. */
const button = (action: string, label: string) =>
  `<form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(label)}</button></form>`;

/** A section: its heading, then its entries, newest first, or a line saying there are none. */
function section(title: string, entries: readonly string[], none: string): string {
  const shown = entries.slice(0, shownPerSection);
  const older =
    entries.length > shown.length ? `<p>… and ${entries.length - shown.length} older, not shown.</p>\n` : "";
  const body = shown.length === 0 ? `<p>${escapeHtml(none)}</p>\n` : `${shown.join("\n")}\n${older}`;
  return `<section>\n<h2>${escapeHtml(title)}</h2>\n${body}</section>`;
}

/** The text of an SMS or e-mail, its lines kept. */
const message = (text: string) => `<p>${escapeHtml(text).replace(/\n/g, "<br>\n")}</p>`;

/**
 * The sandbox's phone page (`GET /sandbox/phone`), which stands in for the user's phone and mailbox
 * while developing: the push MFA challenges still pending, with "Approve" and "Deny" buttons; the device
 * binding requests not yet answered, with "Confirm" and "Reject" buttons; every SMS (with its OTP) and
 * every e-mail (with its link), newest first. The buttons post to `phonePaths`. It reloads itself every
 * {@link phonePageRefreshSeconds} seconds (a `<meta http-equiv="refresh">`, no script) and says when it
 * was rendered. Every value is escaped.
 *
 * @param now - epoch milliseconds: a challenge that has expired is no longer pending.
 * @example
 * import type { Context } from "hono";
 * import { pageHeaders } from "../authorize/renderPage";
 * import type { SandboxRuntime } from "../server/SandboxRuntime";
 *
 * function phonePage(runtime: SandboxRuntime, c: Context): Response {
 *   return c.html(renderPhonePage(runtime.store, runtime.now()), 200, pageHeaders);
 * }
 */
export function renderPhonePage(store: SandboxStore, now: number): string {
  const emailOf = (userId: string) => store.users.get(userId)?.email ?? userId;

  const challenges = [...store.mfaChallenges.values()]
    .filter((challenge) => challenge.status === "PENDING" && now < challenge.expiresAt)
    .reverse()
    .map(
      (challenge) => `<article>
<p>Confirm the sign-in of <strong>${escapeHtml(emailOf(challenge.userId))}</strong> (client <code>${escapeHtml(challenge.clientId)}</code>)?<br>
Challenge <code>${escapeHtml(challenge.id)}</code>, expires at ${iso(challenge.expiresAt)}</p>
${button(phonePaths.approveMfaChallenge(challenge.id), "Approve")}
${button(phonePaths.denyMfaChallenge(challenge.id), "Deny")}
</article>`,
    );

  const bindingRequests = [...store.deviceBindingRequests.values()]
    .filter((request) => request.confirmedAt === undefined && request.rejectedAt === undefined)
    .reverse()
    .map(
      (request) => `<article>
<p>A device named <strong>${escapeHtml(request.deviceName)}</strong> asks to be bound to
<strong>${escapeHtml(emailOf(request.userId))}</strong>.<br>
IP address: <code>${escapeHtml(request.ipAddress)}</code>, place: ${escapeHtml(request.address)}<br>
Request <code>${escapeHtml(request.id)}</code>, requested at ${iso(request.createdAt)}</p>
${button(phonePaths.confirmDeviceBindingRequest(request.id), "Confirm")}
${button(phonePaths.rejectDeviceBindingRequest(request.id), "Reject")}
</article>`,
    );

  const sms = [...store.sms].reverse().map(
    (text) => `<article>
<p>To <code>${escapeHtml(text.to)}</code> at ${escapeHtml(text.sentAt)} — OTP <strong><code>${escapeHtml(text.otp)}</code></strong></p>
${message(text.text)}
</article>`,
  );

  const emails = [...store.emails].reverse().map((email) => {
    const link =
      email.link === undefined
        ? ""
        : `<br>\nLink: <a href="${escapeHtml(email.link)}">${escapeHtml(email.link)}</a>`;
    const request =
      email.deviceBindingRequestId === undefined
        ? ""
        : `<br>\nDevice binding request <code>${escapeHtml(email.deviceBindingRequestId)}</code>`;
    return `<article>
<p>To <code>${escapeHtml(email.to)}</code> at ${escapeHtml(email.sentAt)}: <strong>${escapeHtml(email.subject)}</strong>${link}${request}</p>
${message(email.text)}
</article>`;
  });

  return renderPage(
    "Phone and mailbox",
    `<h1>Phone and mailbox</h1>
<p>The Kontist sandbox's stand-in for the user's phone and mailbox. Rendered at ${iso(now)}; reloads every ${phonePageRefreshSeconds} seconds.</p>
${section("Push challenges (pending)", challenges, "No push challenge is pending.")}
${section("Device binding requests (pending)", bindingRequests, "No device binding request is pending.")}
${section("SMS", sms, "No SMS yet.")}
${section("E-mails", emails, "No e-mail yet.")}`,
    `\n<meta http-equiv="refresh" content="${phonePageRefreshSeconds}">`,
  );
}
