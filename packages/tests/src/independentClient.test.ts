import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { once } from "node:events";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A client written from API.md alone — fetch, node:crypto, no SDK package — against the built
// `kontist-sandbox` command in its own process, the way an outside developer meets the sandbox.

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
let server: ChildProcess;
let base: string;

beforeAll(async () => {
  server = spawn(process.execPath, [resolve(root, "packages/sandbox/dist/bin.js"), "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  base = await new Promise<string>((resolveUrl, reject) => {
    let output = "";
    server.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
      if (url) resolveUrl(url);
    });
    server.once("exit", (code) => reject(new Error(`kontist-sandbox exited with ${code}`)));
  });
});

afterAll(async () => {
  server.kill("SIGTERM");
  if (server.exitCode === null) await once(server, "exit");
});

function form(fields: Record<string, string>) {
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: `Basic ${Buffer.from("demo-client:demo-secret").toString("base64")}`,
    },
    body: new URLSearchParams(fields).toString(),
  };
}

function json(accessToken: string, body?: unknown) {
  return {
    method: "POST",
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** `key` per API.md: the uncompressed point, no ASN.1 header; upper-case, since either case is allowed. */
function deviceKeyHex(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: "spki", format: "der" });
  return spki
    .subarray(spki.length - 65)
    .toString("hex")
    .toUpperCase();
}

/** `signature` per API.md: hex of DER ECDSA-SHA256 over the UTF-8 string, as OpenSSL makes it (any S). */
function signatureHex(privateKey: KeyObject, text: string): string {
  return sign("sha256", Buffer.from(text, "utf8"), { key: privateKey, dsaEncoding: "der" }).toString("hex");
}

function passwordLogin(scope: string): Promise<Response> {
  const fields = { grant_type: "password", username: "demo@example.com", password: "demo-password", scope };
  return fetch(`${base}/api/oauth/token`, form(fields));
}

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
}

describe("the sandbox as an independent client sees it", () => {
  it("completes the device-binding flow from the documented wire format", async () => {
    const login = await passwordLogin("accounts users offline");
    expect(login.status).toBe(200);
    const tokens = (await login.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({
      token_type: "Bearer",
      expires_in: expect.any(Number),
      scope: "accounts users offline",
    });
    const accessToken = tokens.access_token as string;
    expect(typeof tokens.refresh_token).toBe("string");

    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const created = await fetch(
      `${base}/api/user/devices`,
      json(accessToken, { name: "independent", key: deviceKeyHex(publicKey) }),
    );
    expect([200, 201]).toContain(created.status);
    const { deviceId, challengeId } = (await created.json()) as { deviceId: string; challengeId: string };
    expect(deviceId).toMatch(/^[0-9a-f-]{36}$/);

    const outbox = (await (await fetch(`${base}/sandbox/sms`)).json()) as { to: string; otp: string }[];
    const otp = outbox.at(-1)?.otp ?? "";
    expect(outbox.at(-1)?.to).toBe("+4915100000000");

    const verified = await fetch(
      `${base}/api/user/devices/${deviceId}/verify`,
      json(accessToken, { challengeId, signature: signatureHex(privateKey, otp) }),
    );
    expect(verified.status).toBe(204);

    const challengeResponse = await fetch(
      `${base}/api/user/devices/${deviceId}/challenges`,
      json(accessToken),
    );
    expect([200, 201]).toContain(challengeResponse.status);
    const challenge = (await challengeResponse.json()) as { id: string; stringToSign: string };

    const confirmedResponse = await fetch(
      `${base}/api/user/devices/${deviceId}/challenges/${challenge.id}/verify`,
      json(accessToken, { signature: signatureHex(privateKey, challenge.stringToSign).toUpperCase() }),
    );
    expect(confirmedResponse.status).toBe(200);
    const confirmed = (await confirmedResponse.json()) as { token: string; refresh_token: string };
    expect(claims(confirmed.token)).toMatchObject({ cnf: { kid: deviceId } });

    const refreshed = await fetch(
      `${base}/api/oauth/token`,
      form({ grant_type: "refresh_token", refresh_token: confirmed.refresh_token }),
    );
    expect(refreshed.status).toBe(200);
    const renewed = (await refreshed.json()) as { access_token: string };
    expect(claims(renewed.access_token)).toMatchObject({ cnf: { kid: deviceId }, client_id: "demo-client" });

    const devices = (await (
      await fetch(`${base}/api/user/devices`, {
        headers: { Authorization: `Bearer ${renewed.access_token}` },
      })
    ).json()) as {
      id: string;
    }[];
    expect(devices.map((device) => device.id)).toContain(deviceId);
  });

  it("verifies a high-S signature, which OpenSSL-based signers emit half the time", async () => {
    const login = await passwordLogin("users");
    const { access_token: accessToken } = (await login.json()) as { access_token: string };
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const created = await fetch(
      `${base}/api/user/devices`,
      json(accessToken, { name: "high-s", key: deviceKeyHex(publicKey) }),
    );
    const { deviceId, challengeId } = (await created.json()) as { deviceId: string; challengeId: string };
    const otp = ((await (await fetch(`${base}/sandbox/sms`)).json()) as { otp: string }[]).at(-1)?.otp ?? "";

    const highS = toHighS(signatureHex(privateKey, otp));
    const verified = await fetch(
      `${base}/api/user/devices/${deviceId}/verify`,
      json(accessToken, { challengeId, signature: highS }),
    );
    expect(verified.status).toBe(204);
  });
});

const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** Re-encodes a DER signature with s replaced by n − s when s is low (both verify under ECDSA). */
function toHighS(derHex: string): string {
  const der = Buffer.from(derHex, "hex");
  const rLength = der[3] ?? 0;
  const r = der.subarray(4, 4 + rLength);
  const sLength = der[5 + rLength] ?? 0;
  let s = BigInt(`0x${der.subarray(6 + rLength, 6 + rLength + sLength).toString("hex")}`);
  if (s <= n / 2n) s = n - s;
  const integer = (value: Buffer) => Buffer.concat([Buffer.from([0x02, value.length]), value]);
  const sHex = s.toString(16).padStart(64, "0");
  const sBytes = Buffer.from(`00${sHex}`, "hex"); // high S has its top bit set: a leading zero keeps it positive
  const body = Buffer.concat([integer(r), integer(sBytes)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString("hex");
}

// The helper above must itself be right for the test to mean anything.
it("toHighS yields an s above n/2", () => {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const der = Buffer.from(toHighS(signatureHex(privateKey, "x")), "hex");
  const rLength = der[3] ?? 0;
  const s = BigInt(`0x${der.subarray(6 + rLength).toString("hex")}`);
  expect(s > n / 2n).toBe(true);
});
