import { deviceGraphQL, listBoundDevicesDataSchema } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { useFreshSandbox } from "../../test/freshSandbox";
import {
  bindDevice,
  boundDevices,
  createDevice,
  graphQLAnswer,
  other,
  passwordToken,
} from "../../test/requests";

const fresh = useFreshSandbox();

describe("query listBoundDevices", () => {
  it("lists the user's verified devices, oldest first, as [{ id, name }]", async () => {
    expect(await boundDevices(fresh.sandbox, fresh.accessToken)).toEqual([]);
    const theirs = (await passwordToken(fresh.sandbox, other)).access_token;
    const first = await bindDevice(fresh.sandbox, fresh.accessToken, "Phone");
    await createDevice(fresh.sandbox, fresh.accessToken, undefined, "Unverified tablet");
    await bindDevice(fresh.sandbox, theirs, "Their phone");
    const second = await bindDevice(fresh.sandbox, fresh.accessToken, "Laptop");
    const answer = await graphQLAnswer(fresh.sandbox, fresh.accessToken, deviceGraphQL.listBoundDevices);
    expect(answer).toEqual({
      data: {
        listBoundDevices: [
          { id: first.deviceId, name: "Phone" },
          { id: second.deviceId, name: "Laptop" },
        ],
      },
    });
    expect(listBoundDevicesDataSchema.parse(answer.data)).toEqual(answer.data);
    expect(await boundDevices(fresh.sandbox, theirs)).toEqual([
      { id: expect.any(String), name: "Their phone" },
    ]);
  });
});
