import { describe, expect, it } from "vitest";
import { defaultSeeds, startSandbox } from "../index";

describe("startSandbox", () => {
  it("listens on a free loopback port and closes (twice is fine)", async () => {
    const sandbox = await startSandbox();
    expect(sandbox.host).toBe("127.0.0.1");
    expect(sandbox.port).toBeGreaterThan(0);
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
    expect((await fetch(`${sandbox.url}/sandbox/stats`)).status).toBe(200);
    await sandbox.close();
    await sandbox.close();
    await expect(fetch(`${sandbox.url}/sandbox/stats`)).rejects.toThrow();
  });

  it("closes while a keep-alive connection is open", async () => {
    const sandbox = await startSandbox({ port: 0 });
    await (await fetch(`${sandbox.url}/sandbox/sms`)).text();
    await sandbox.close();
  });

  it("rejects when the port is taken", async () => {
    const first = await startSandbox({ port: 0 });
    await expect(startSandbox({ port: first.port })).rejects.toMatchObject({ code: "EADDRINUSE" });
    await first.close();
  });

  it("rejects invalid options with a RangeError", async () => {
    await expect(startSandbox({ port: -1 })).rejects.toThrow(RangeError);
    await expect(startSandbox({ otpTtl: 0 })).rejects.toThrow(RangeError);
    await expect(startSandbox({ otpAttempts: 0 })).rejects.toThrow(RangeError);
    await expect(startSandbox({ authorizationCodeTtl: -1 })).rejects.toThrow(RangeError);
    await expect(startSandbox({ mfaChallengeTtl: 0 })).rejects.toThrow(RangeError);
    await expect(startSandbox({ sessionTtl: Number.NaN })).rejects.toThrow(RangeError);
    const [demoUser] = defaultSeeds.users;
    await expect(startSandbox({ users: [{ ...demoUser, iban: "DE00370400440532013000" }] })).rejects.toThrow(
      "IBAN",
    );
    await expect(startSandbox({ users: [{ ...demoUser, balance: 1.5 }] })).rejects.toThrow("balance");
    const client = { id: "c", grants: ["authorization_code"] as const, scopes: [] };
    await expect(startSandbox({ clients: [{ ...client, redirectUris: ["/relative"] }] })).rejects.toThrow(
      "redirect URI",
    );
    await expect(
      startSandbox({ clients: [{ ...client, redirectUris: ["http://localhost:*/cb#x"] }] }),
    ).rejects.toThrow(RangeError);
    await expect(
      startSandbox({ users: [...defaultSeeds.users, { ...defaultSeeds.users[0], id: "another" }] }),
    ).rejects.toThrow(RangeError);
  });

  it("replaces the seeds when given clients and users", async () => {
    const sandbox = await startSandbox({
      clients: [{ id: "mine", secret: "s3", grants: ["password"], scopes: ["accounts"] }],
      users: [{ email: "me@example.com", password: "pw", mobileNumber: "+49000" }],
    });
    const token = (params: Record<string, string>) =>
      fetch(`${sandbox.url}/api/oauth/token`, { method: "POST", body: new URLSearchParams(params) });
    const mine = await token({
      grant_type: "password",
      username: "me@example.com",
      password: "pw",
      client_id: "mine",
      client_secret: "s3",
    });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 3599,
      scope: "accounts",
    });
    const demo = await token({
      grant_type: "password",
      username: "demo@example.com",
      password: "demo-password",
      client_id: "mine",
      client_secret: "s3",
    });
    expect(demo.status).toBe(400);
    await sandbox.close();
  });
});
