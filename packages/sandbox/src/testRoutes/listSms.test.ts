import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevice, other, passwordToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

describe("GET /sandbox/sms", () => {
  it("lists every SMS sent, oldest first, to each user's own number", async () => {
    const first = await createDevice(sandbox, (await passwordToken(sandbox)).access_token);
    const second = await createDevice(sandbox, (await passwordToken(sandbox, other)).access_token);
    const response = await fetch(`${sandbox.url}/sandbox/sms`);
    expect(response.status).toBe(200);
    const sms = await response.json();
    expect(sms).toEqual([
      {
        to: "+4915100000000",
        text: expect.stringContaining(first.otp),
        otp: first.otp,
        sentAt: expect.any(String),
      },
      {
        to: "+4915100000001",
        text: expect.stringContaining(second.otp),
        otp: second.otp,
        sentAt: expect.any(String),
      },
    ]);
  });
});
