import { describe, expect, it } from "vitest";
import { runDemo } from "./demo";

describe("runDemo", () => {
  it("binds a device, confirms, refreshes, and prints no token", async () => {
    const lines: string[] = [];
    const { deviceId, refreshed } = await runDemo({ print: (line) => lines.push(line) });

    expect(refreshed.confirmed).toBe(true);
    expect(lines).toHaveLength(7);
    expect(lines.at(-1)).toBe(`✔ The refreshed access token is confirmed (cnf.kid = ${deviceId}).`);
    const output = lines.join("\n");
    expect(output).not.toContain(refreshed.accessToken);
    expect(output).not.toContain(refreshed.refreshToken ?? "no refresh token");
    // No JWT-looking strings (header.payload.signature) and no OTP-sized numbers on their own.
    expect(output).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });
});
