import { deviceGraphQL } from "@kontist-auth/protocol";
import { sandboxPaths } from "@kontist-auth/protocol/sandbox";
import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import { graphQLAnswer, requestDeviceBinding } from "../../test/requests";

const fresh = useFreshSandbox();

/** The route under test, called over plain HTTP so its answer can be checked. */
function answerBindingRequestAsUser(requestId: string, answer: "confirm" | "reject"): Promise<Response> {
  const path =
    answer === "confirm"
      ? sandboxPaths.confirmDeviceBindingRequest(requestId)
      : sandboxPaths.rejectDeviceBindingRequest(requestId);
  return fetch(`${fresh.sandbox.url}${path}`, { method: "POST" });
}

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
    const response = await answerBindingRequestAsUser(request.id, "confirm");
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(await get(request.id)).toMatchObject({ confirmedAt: expect.any(String), rejectedAt: null });
    const stats = await fresh.sandbox.test.stats();
    expect(stats.requests["POST /api/graphql"]).toBe(2);
    expect(Object.keys(stats.requests).some((key) => key.includes("/sandbox/"))).toBe(false);
  });

  it("reject: 204, rejectedAt set", async () => {
    const request = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    expect((await answerBindingRequestAsUser(request.id, "reject")).status).toBe(204);
    expect(await get(request.id)).toMatchObject({ confirmedAt: null, rejectedAt: expect.any(String) });
  });

  it("answers an unknown request with 404", async () => {
    for (const answer of ["confirm", "reject"] as const) {
      await expectApiError(
        await answerBindingRequestAsUser("no-such-request", answer),
        404,
        "Device binding request not found.",
      );
    }
  });

  it("answers a request already answered with 409, whichever the answers", async () => {
    const confirmed = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    await answerBindingRequestAsUser(confirmed.id, "confirm");
    for (const answer of ["confirm", "reject"] as const) {
      await expectApiError(
        await answerBindingRequestAsUser(confirmed.id, answer),
        409,
        "This device binding request was already confirmed; create a new one.",
      );
    }
    const rejected = await requestDeviceBinding(fresh.sandbox, fresh.accessToken);
    await answerBindingRequestAsUser(rejected.id, "reject");
    await expectApiError(
      await answerBindingRequestAsUser(rejected.id, "confirm"),
      409,
      "This device binding request was already rejected; create a new one.",
    );
    expect(await get(rejected.id)).toMatchObject({ confirmedAt: null });
  });
});
