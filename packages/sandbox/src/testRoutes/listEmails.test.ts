import { sandboxEmailListSchema } from "@kontist-auth/protocol/sandbox";
import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { demo, other, passwordToken, requestDeviceBinding } from "../../test/requests";

const fresh = useFreshSandbox();

describe("GET /sandbox/emails", () => {
  it("starts empty, then lists every e-mail sent, oldest first, in the protocol's shape, uncounted", async () => {
    const empty = await fetch(`${fresh.sandbox.url}/sandbox/emails`);
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual([]);

    const first = await requestDeviceBinding(fresh.sandbox, fresh.accessToken, "First");
    const theirs = (await passwordToken(fresh.sandbox, other)).access_token;
    const second = await requestDeviceBinding(fresh.sandbox, theirs, "Second");
    const body = await (await fetch(`${fresh.sandbox.url}/sandbox/emails`)).json();
    expect(sandboxEmailListSchema.parse(body)).toEqual(body);
    expect(
      body.map((email: { to: string; deviceBindingRequestId: string }) => [
        email.to,
        email.deviceBindingRequestId,
      ]),
    ).toEqual([
      [demo.email, first.id],
      [other.email, second.id],
    ]);
    const stats = await (await fetch(`${fresh.sandbox.url}/sandbox/stats`)).json();
    expect(Object.keys(stats.requests)).toEqual(["POST /api/oauth/token", "POST /api/graphql"]);
  });
});
