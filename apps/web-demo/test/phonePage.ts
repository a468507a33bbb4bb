import type { Locator, Page } from "playwright-core";

// The sandbox's phone page (`/sandbox/phone`, packages/sandbox/src/phone/) as the user works it in a
// second tab: it reloads itself every few seconds, so each locator waits until the entry shows up.

/** The `<article>` of the phone page that names `id` (a push challenge or a binding request). */
function entry(phone: Page, id: string): Locator {
  return phone.locator("article", { hasText: id });
}

/** Clicks `Approve` (or `Deny`) on the push challenge `challengeId`, as the user does on their phone. */
export async function answerPushChallenge(
  phone: Page,
  challengeId: string,
  answer: "Approve" | "Deny",
): Promise<void> {
  await entry(phone, challengeId).getByRole("button", { name: answer, exact: true }).click();
}

/** Clicks `Confirm` on the device binding request `requestId`, as the user does in the e-mail. */
export async function confirmBindingRequest(phone: Page, requestId: string): Promise<void> {
  await entry(phone, requestId).getByRole("button", { name: "Confirm", exact: true }).click();
}

/** The SMS on the phone page, newest first. */
export function smsEntries(phone: Page): Locator {
  return phone
    .locator("section", { has: phone.getByRole("heading", { name: "SMS", exact: true }) })
    .locator("article");
}

/**
 * The one-time password of the newest SMS on the phone page, read as the user reads it.
 *
 * @throws {Error} when the newest SMS shows no six-digit code.
 */
export async function newestOtp(phone: Page): Promise<string> {
  const text = (await smsEntries(phone).first().textContent()) ?? "";
  const otp = text.match(/\bOTP\s*(\d{6})\b/)?.[1];
  if (otp === undefined) throw new Error("The newest SMS on the phone page shows no six-digit code.");
  return otp;
}
