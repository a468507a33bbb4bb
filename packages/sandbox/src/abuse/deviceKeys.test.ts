/**
 * Issue 11, item 4: a device key that is not a P-256 point in the form Kontist documents (hex of the
 * uncompressed point `04‖X‖Y`, 130 characters) is refused with 400 before anything is spent or sent.
 * Already covered: src/devices/createDevice.test.ts "refuses a malformed key with 400 naming the field,
 * not the value" (a short key) and "refuses a key that is not on P-256 with 400" (one off-curve point).
 */
import { createPublicKey } from "node:crypto";
import { expect, it } from "vitest";
import { createTestDeviceKey } from "../../test/deviceKey";
import { useFreshSandbox } from "../../test/freshSandbox";
import { callApi, confirmedBindingRequest } from "../../test/requests";

const fresh = useFreshSandbox();

const p = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const hex32 = (n: bigint) => n.toString(16).padStart(64, "0");
/** y of the P-256 point whose x is 0 (y² = b): `04‖0‖y` is a valid key, `04‖p‖y` the same x unreduced. */
const yAtZero = 0x66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4n;

it("refuses keys that are not P-256 points (off-curve, infinity, compressed, wrong length, …) with 400, spending nothing", async () => {
  const { sandbox, accessToken } = fresh;
  await confirmedBindingRequest(sandbox, accessToken);
  const valid = createTestDeviceKey().keyHex;
  const x = valid.slice(2, 66);
  const y = BigInt(`0x${valid.slice(66)}`);
  const spki = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: Buffer.from(x, "hex").toString("base64url"),
      y: Buffer.from(hex32(y), "hex").toString("base64url"),
    },
    format: "jwk",
  })
    .export({ format: "der", type: "spki" })
    .toString("hex");
  const bad: Record<string, unknown> = {
    "off the curve (y + 1)": `04${x}${hex32((y + 1n) % p)}`,
    "the point at infinity, 04‖0…0": `04${"0".repeat(128)}`,
    "compressed, 02‖X": `02${x}`,
    "compressed, 03‖X": `03${x}`,
    "compressed prefix at full length": `02${valid.slice(2)}`,
    "hybrid form, 06‖X‖Y": `06${valid.slice(2)}`,
    "hybrid form, 07‖X‖Y": `07${valid.slice(2)}`,
    "X‖Y without 04": valid.slice(2),
    "one byte too long": `${valid}00`,
    "one byte too short": valid.slice(0, -2),
    "an odd number of characters": valid.slice(0, -1),
    "a coordinate not below p (x = p)": `04${hex32(p)}${hex32(yAtZero)}`,
    "y = p": `04${"0".repeat(64)}${hex32(p)}`,
    "all ones": `04${"f".repeat(128)}`,
    "SubjectPublicKeyInfo DER": spki,
    "not hex": `04${"g".repeat(128)}`,
    empty: "",
    "a number": 4,
    null: null,
    "an array": [valid],
  };
  for (const [label, key] of Object.entries(bad)) {
    const response = await callApi(sandbox, "POST", "/api/user/devices", accessToken, { name: "Pixel", key });
    expect(response.status, label).toBe(400);
    const body = await response.json();
    expect(body, label).toEqual({ message: expect.stringContaining("`key`"), status: 400 });
    if (typeof key === "string" && key.length > 8)
      expect(body.message, label).not.toContain(key.slice(2, 10));
  }
  expect(await sandbox.test.sms()).toEqual([]);

  // The binding confirmation was not spent: a real key still gets in, and so does the valid point x = 0.
  const created = await callApi(sandbox, "POST", "/api/user/devices", accessToken, {
    name: "Pixel",
    key: valid,
  });
  expect(created.status).toBe(201);
  await confirmedBindingRequest(sandbox, accessToken);
  const zero = await callApi(sandbox, "POST", "/api/user/devices", accessToken, {
    name: "Odd but valid",
    key: `04${"0".repeat(64)}${hex32(yAtZero)}`,
  });
  expect(zero.status).toBe(201);
});
