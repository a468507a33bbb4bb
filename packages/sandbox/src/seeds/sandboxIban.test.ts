import { describe, expect, it } from "vitest";
import { defaultSeeds } from "./defaultSeeds";
import { isValidIban, sandboxIban } from "./sandboxIban";

describe("sandboxIban", () => {
  it("makes up a valid German IBAN, the same for the same seed", () => {
    const iban = sandboxIban("9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01");
    expect(iban).toMatch(/^DE\d{20}$/);
    expect(isValidIban(iban)).toBe(true);
    expect(sandboxIban("9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01")).toBe(iban);
    expect(sandboxIban("another")).not.toBe(iban);
    for (let i = 0; i < 200; i += 1) expect(isValidIban(sandboxIban(`user-${i}`))).toBe(true);
  });
});

describe("isValidIban", () => {
  it("checks ISO 13616 check digits", () => {
    expect(isValidIban("DE89 3704 0044 0532 0130 00")).toBe(true);
    expect(isValidIban("GB82WEST12345698765432")).toBe(true);
    expect(isValidIban("DE88370400440532013000")).toBe(false);
    expect(isValidIban("not an iban")).toBe(false);
  });

  it("holds for the seeded users", () => {
    for (const user of defaultSeeds.users) expect(isValidIban(user.iban)).toBe(true);
  });
});
