import { createHash } from "node:crypto";

/** A test bank code (BLZ) for the IBANs the sandbox makes up. */
const sandboxBankCode = "11010100";

/** ISO 13616 check digits: 98 − (the digits of BBAN‖country‖"00", letters as 10–35) mod 97. */
function checkDigits(country: string, bban: string): string {
  const digits = `${bban}${country}00`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return String(98 - remainder).padStart(2, "0");
}

/**
 * A valid German IBAN derived from `seed` (the same seed always gives the same IBAN), for users seeded
 * without one.
 *
 * @example
 * sandboxIban("9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01"); // "DE…" (22 characters, valid check digits)
 */
export function sandboxIban(seed: string): string {
  const hash = createHash("sha256").update(seed, "utf8").digest();
  const account = String(hash.readUInt32BE(0) * 10 + ((hash[4] ?? 0) % 10))
    .padStart(10, "0")
    .slice(-10);
  const bban = `${sandboxBankCode}${account}`;
  return `DE${checkDigits("DE", bban)}${bban}`;
}

/** Whether `iban` has valid ISO 13616 check digits (spaces ignored). */
export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/ /g, "").toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(compact)) return false;
  return checkDigits(compact.slice(0, 2), compact.slice(4)) === compact.slice(2, 4);
}
