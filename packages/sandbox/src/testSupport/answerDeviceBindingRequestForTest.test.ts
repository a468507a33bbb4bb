import { deviceGraphQL } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { answerBindingRequestAsUser, graphQLAnswer, requestDeviceBinding } from "../../test/requests";

const fresh = useFreshSandbox();

const get = async (id: string) =>
  (await graphQLAnswer(fresh.sandbox, fresh.accessToken, deviceGraphQL.getDeviceBindingRequest, { id })).data
    .getDeviceBindingRequest;

async function expectApiError(response: Response, status: number, message: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual({ message, status });
}

describe("POST /sandbox/device-binding-requests/{id}/confirm and /reject", () => {
  it("confirm: 204, empty body, confirmedAt set; not counted", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    const response = await answerBindingRequestAsUser(fresh.sandbox, request.id, "confirm");
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(await get(request.id)).toMatchObject({ confirmedAt: expect.any(String), rejectedAt: null });
    const stats = await (await fetch(`${fresh.sandbox.url}/sandbox/stats`)).json();
    expect(stats.requests["POST /api/graphql"]).toBe(2);
    expect(Object.keys(stats.requests).some((key) => key.includes("/sandbox/"))).toBe(false);
  });

  it("reject: 204, rejectedAt set", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    expect((await answerBindingRequestAsUser(fresh.sandbox, request.id, "reject")).status).toBe(204);
    expect(await get(request.id)).toMatchObject({ confirmedAt: null, rejectedAt: expect.any(String) });
  });

  it("answers an unknown request with 404", async () => {
    for (const answer of ["confirm", "reject"] as const) {
      await expectApiError(
        await answerBindingRequestAsUser(fresh.sandbox, "no-such-request", answer),
        404,
        "Device binding request not found.",
      );
    }
  });

  it("answers a request already answered with 409, whichever the answers", async () => {
    const confirmed = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    await answerBindingRequestAsUser(fresh.sandbox, confirmed.id, "confirm");
    for (const answer of ["confirm", "reject"] as const) {
      await expectApiError(
        await answerBindingRequestAsUser(fresh.sandbox, confirmed.id, answer),
        409,
        "This device binding request was already confirmed; create a new one.",
      );
    }
    const rejected = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    await answerBindingRequestAsUser(fresh.sandbox, rejected.id, "reject");
    await expectApiError(
      await answerBindingRequestAsUser(fresh.sandbox, rejected.id, "confirm"),
      409,
      "This device binding request was already rejected; create a new one.",
    );
    expect(await get(rejected.id)).toMatchObject({ confirmedAt: null });
  });
});
