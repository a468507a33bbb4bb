import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { callApi, createDevice, demo, requestDeviceBinding } from "../../test/requests";
import { phonePaths } from "./phonePaths";

const fresh = useFreshSandbox();

/** The phone page's HTML, after checking it is a page that must not be framed or cached. */
async function phonePage(): Promise<string> {
  const response = await fetch(`${fresh.sandbox.url}${phonePaths.page}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
  expect(response.headers.get("cache-control")).toBe("no-store");
  return response.text();
}

/** Clicks a button of the phone page: a browser's form post from the page itself. */
function click(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${fresh.sandbox.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      Accept: "text/html",
      "Content-Type": "application/x-www-form-urlencoded",
      "Sec-Fetch-Site": "same-origin",
      Origin: fresh.sandbox.url,
      ...headers,
    },
    body: "",
  });
}

/** Expects the 303 See Other back to the page that a button answers. */
function expectBackToPage(response: Response) {
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe(phonePaths.page);
}

async function pushChallenge(): Promise<string> {
  const response = await callApi(fresh.sandbox, "POST", "/api/user/mfa/challenges", fresh.accessToken);
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const challengeStatus = async (id: string) =>
  (await fresh.sandbox.test.mfaChallenges()).find((challenge) => challenge.id === id)?.status;

describe("GET /sandbox/phone", () => {
  it("says when it rendered, reloads itself without script and says when a section is empty", async () => {
    const page = await phonePage();
    expect(page).toContain('<meta http-equiv="refresh" content="2">');
    expect(page).toMatch(/Rendered at \d{4}-\d\d-\d\dT/);
    expect(page).not.toContain("<script");
    for (const none of [
      "No push challenge is pending.",
      "No device binding request is pending.",
      "No SMS yet.",
      "No e-mail yet.",
    ]) {
      expect(page).toContain(none);
    }
  });

  it("shows a binding request with its e-mail, and the SMS OTP once the device is created", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken, "Pixel 9");
    const email = await fresh.sandbox.test.bindingRequestEmail(request.id);
    let page = await phonePage();
    expect(page).toContain("<strong>Pixel 9</strong>");
    expect(page).toContain(phonePaths.confirmDeviceBindingRequest(request.id));
    expect(page).toContain(phonePaths.rejectDeviceBindingRequest(request.id));
    expect(page).toContain(`<a href="${email.link}">${email.link}</a>`);
    expect(page).toContain(`Device binding request <code>${request.id}</code>`);
    expect(page).toContain("Confirm your new device");
    expect(page).not.toContain("No e-mail yet.");

    const { otp } = await createDevice(fresh.sandbox, fresh.accessToken);
    page = await phonePage();
    expect(page).toContain(`OTP <strong><code>${otp}</code></strong>`);
    expect(page).toContain(demo.mobileNumber);
    expect(page).not.toContain("No SMS yet.");
  });

  it("lists SMS and e-mails newest first", async () => {
    const first = await requestDeviceBinding(fresh.sandbox, fresh.accessToken, "First phone");
    const second = await requestDeviceBinding(fresh.sandbox, fresh.accessToken, "Second phone");
    const page = await phonePage();
    const mail = page.slice(page.indexOf("<h2>E-mails</h2>"));
    expect(mail.indexOf(second.id)).toBeGreaterThan(-1);
    expect(mail.indexOf(second.id)).toBeLessThan(mail.indexOf(first.id));
  });

  it("shows a pending push challenge with Approve and Deny buttons", async () => {
    const id = await pushChallenge();
    const page = await phonePage();
    expect(page).toContain(
      `<form method="post" action="${phonePaths.approveMfaChallenge(id)}"><button type="submit">Approve</button></form>`,
    );
    expect(page).toContain(
      `<form method="post" action="${phonePaths.denyMfaChallenge(id)}"><button type="submit">Deny</button></form>`,
    );
    expect(page).toContain(demo.email);
  });

  it("escapes every value", async () => {
    await requestDeviceBinding(fresh.sandbox, fresh.accessToken, '<script>alert("x")</script> & co');
    const page = await phonePage();
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
    expect(page).not.toContain("<script");
  });

  // Loopback-only like every /sandbox route: src/testRoutes/loopbackHostOnly.test.ts (finding 14) sends each
  // route of the app, these included, a non-loopback Host.
});

describe("the phone page's buttons", () => {
  it("Approve and Deny answer the push challenge, then 303 back to the page, which no longer lists it", async () => {
    const approved = await pushChallenge();
    expectBackToPage(await click(phonePaths.approveMfaChallenge(approved)));
    expect(await challengeStatus(approved)).toBe("VERIFIED");
    const denied = await pushChallenge();
    expectBackToPage(await click(phonePaths.denyMfaChallenge(denied)));
    expect(await challengeStatus(denied)).toBe("DENIED");
    const page = await phonePage();
    expect(page).toContain("No push challenge is pending.");
    expect(page).not.toContain(phonePaths.approveMfaChallenge(approved));
  });

  it("Confirm and Reject answer the binding request, then 303 back to the page", async () => {
    const confirmed = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    expectBackToPage(await click(phonePaths.confirmDeviceBindingRequest(confirmed.id)));
    const rejected = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    expectBackToPage(await click(phonePaths.rejectDeviceBindingRequest(rejected.id)));
    const status = async (id: string) =>
      (await fetch(`${fresh.sandbox.url}/sandbox/device-binding-requests/${id}`)).text();
    expect(await status(confirmed.id)).toMatch(/<strong>Confirmed<\/strong>/);
    expect(await status(rejected.id)).toMatch(/<strong>Rejected<\/strong>/);
    expect(await phonePage()).toContain("No device binding request is pending.");
  });

  it("refuses a post from another site or another local port with 403, and changes nothing", async () => {
    const challenge = await pushChallenge();
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    const foreign: Record<string, string>[] = [
      { "Sec-Fetch-Site": "cross-site", Origin: "https://evil.example" },
      { "Sec-Fetch-Site": "same-site", Origin: "http://127.0.0.1:3000" },
    ];
    for (const headers of foreign) {
      for (const path of [
        phonePaths.approveMfaChallenge(challenge),
        phonePaths.denyMfaChallenge(challenge),
        phonePaths.confirmDeviceBindingRequest(request.id),
        phonePaths.rejectDeviceBindingRequest(request.id),
      ]) {
        const response = await click(path, headers);
        expect(response.status, path).toBe(403);
        expect(await response.text()).toContain("A button of the phone page was posted cross-site");
      }
    }
    // Without Sec-Fetch-Site, a foreign Origin is refused too.
    const withoutFetchMetadata = await fetch(
      `${fresh.sandbox.url}${phonePaths.approveMfaChallenge(challenge)}`,
      { method: "POST", headers: { Origin: "https://evil.example" }, redirect: "manual" },
    );
    expect(withoutFetchMetadata.status).toBe(403);
    expect(await challengeStatus(challenge)).toBe("PENDING");
    expect(await phonePage()).toContain(phonePaths.confirmDeviceBindingRequest(request.id));
  });

  it("answers an unknown id 404 (an HTML page for a browser) and an answered one 409, never 500", async () => {
    for (const path of [
      phonePaths.approveMfaChallenge("no-such-challenge"),
      phonePaths.denyMfaChallenge("no-such-challenge"),
      phonePaths.confirmDeviceBindingRequest("no-such-request"),
      phonePaths.rejectDeviceBindingRequest("no-such-request"),
    ]) {
      const response = await click(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await response.text()).toMatch(/404: (MFA challenge|Device binding request) not found\./);
    }
    const json = await fetch(`${fresh.sandbox.url}${phonePaths.approveMfaChallenge("nope")}`, {
      method: "POST",
    });
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({ message: "MFA challenge not found.", status: 404 });

    const challenge = await pushChallenge();
    expectBackToPage(await click(phonePaths.approveMfaChallenge(challenge)));
    expect((await click(phonePaths.denyMfaChallenge(challenge))).status).toBe(409);
  });
});
