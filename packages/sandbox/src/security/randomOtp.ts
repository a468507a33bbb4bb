import { randomInt } from "node:crypto";

/** A 6-digit one-time password, uniformly random, leading zeros kept. */
export function randomOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}
