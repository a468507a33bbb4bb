import { Client } from "@kontist-auth/client";
import { createSoftwareSigner } from "@kontist-auth/crypto";
import { startSandbox } from "@kontist-auth/sandbox";
import { describe, expect, it } from "vitest";
import { runDemo } from "./demo";

describe("runDemo", () => {
  it("asks for a binding request, binds a device, confirms, refreshes, and prints no token", async () => {
    const lines: string[] = [];
    const { deviceId, refreshed } = await runDemo({ print: (line) => lines.push(line) });

    expect(refreshed.confirmed).toBe(true);
    expect(lines).toHaveLength(12);
    expect(lines[3]).toMatch(
      /^4\. Asked for a device binding request [0-9a-f-]{36} for "kontist-auth demo"$/,
    );
    expect(lines[5]).toMatch(/^ {3}Kontist e-mailed demo@example\.com: "[^"]+"$/);
    expect(lines[6]).toContain("confirmed it from the e-mail");
    expect(lines[7]).toBe(`5. Bound device ${deviceId}: the SMS one-time password was signed and verified`);
    expect(lines[9]).toContain(`(${deviceId})`);
    expect(lines.at(-1)).toBe(`✔ The refreshed access token is confirmed (cnf.kid = ${deviceId}).`);
    const output = lines.join("\n");
    expect(output).not.toContain(refreshed.accessToken);
    expect(output).not.toContain(refreshed.refreshToken ?? "no refresh token");
    // No JWT-looking strings (header.payload.signature) and no OTP-sized numbers on their own.
    expect(output).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it("fails with the sandbox's 403 when the device is created without a binding request", async () => {
    // The demo always asks for one; this proves the sandbox it runs against really requires it.
    const sandbox = await startSandbox({ port: 0 });
    try {
      const client = new Client({
        baseUrl: sandbox.url,
        clientId: "demo-client",
        clientSecret: "demo-secret",
      });
      await client.auth.tokenManager.fetchTokenFromCredentials({
        username: "demo@example.com",
        password: "demo-password",
      });
      const error = await client.auth.device
        .bind({
          signer: createSoftwareSigner(),
          name: "no request",
          otp: async () => "1",
          bindingRequest: false,
        })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "HTTP_ERROR", status: 403 });
      expect(String((error as Error).message)).toMatch(/binding request/i);
    } finally {
      await sandbox.close();
    }
  });
});
