import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { demo, requestDeviceBinding } from "../../test/requests";

const fresh = useFreshSandbox();

describe("GET /sandbox/device-binding-requests/{id} (the e-mail's link)", () => {
  it("shows the device, IP address and place, with Confirm and Reject buttons that post to the answer routes", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken, 'Phone <b>"&"</b>');
    const [email] = await fresh.sandbox.test.emails();
    const response = await fetch(email?.link ?? "");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const page = await response.text();
    expect(page).toContain("Phone &lt;b&gt;&quot;&amp;&quot;&lt;/b&gt;");
    expect(page).not.toContain("<b>");
    expect(page).toContain("<code>127.0.0.1</code>");
    expect(page).toContain("Loopback (sandbox)");
    expect(page).toContain(demo.email);
    expect(page).not.toContain("<script");
    const confirm = `/sandbox/device-binding-requests/${request.id}/confirm`;
    const reject = `/sandbox/device-binding-requests/${request.id}/reject`;
    expect(page).toContain(
      `<form method="post" action="${confirm}"><button type="submit">Confirm</button></form>`,
    );
    expect(page).toContain(
      `<form method="post" action="${reject}"><button type="submit">Reject</button></form>`,
    );

    // The browser posts the form (an empty form body); the page then shows the answer, without buttons.
    const clicked = await fetch(`${fresh.sandbox.url}${confirm}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(clicked.status).toBe(204);
    const after = await (await fetch(email?.link ?? "")).text();
    expect(after).toMatch(/<strong>Confirmed<\/strong> at \d{4}-/);
    expect(after).not.toContain("<form");
  });

  it("shows a rejected request as rejected", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    await fetch(`${fresh.sandbox.url}/sandbox/device-binding-requests/${request.id}/reject`, {
      method: "POST",
    });
    const page = await (
      await fetch(`${fresh.sandbox.url}/sandbox/device-binding-requests/${request.id}`)
    ).text();
    expect(page).toMatch(/<strong>Rejected<\/strong> at \d{4}-/);
  });

  it("answers an unknown request with a 404 page", async () => {
    const response = await fetch(`${fresh.sandbox.url}/sandbox/device-binding-requests/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain("404: Device binding request not found.");
  });
});
