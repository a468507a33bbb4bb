import { createPublicKey, generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { p256Curve } from "../curve/p256Curve";
import { InvalidPublicKeyError } from "../errors";
import { bigIntToBytes } from "./bigEndianInteger";
import { bytesToHex } from "./hex";
import { parseDeviceKeyHex } from "./parseDeviceKeyHex";
import { toDeviceKeyHex } from "./toDeviceKeyHex";

// Property-based fuzzing of the device key decoder: random text and bytes, and real P-256 keys with bytes
// flipped, replaced, cut or added, a compressed or hybrid prefix, coordinates at or above p, the point at
// infinity. It throws only InvalidPublicKeyError, accepts exactly the keys OpenSSL (node:crypto) takes as
// points on P-256, and whatever it accepts re-encodes to exactly its input (up to hex case).
// FUZZ_RUNS / FUZZ_SEED override size and seed.

const runs = Number(process.env.FUZZ_RUNS ?? 2_000);
const seed = Number(process.env.FUZZ_SEED ?? 20_251_101);

/** Real device keys, made by node:crypto (independent of this package). */
const realKeys = Array.from({ length: 16 }, () => {
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  return Uint8Array.from([
    4,
    ...Buffer.from(jwk.x ?? "", "base64url"),
    ...Buffer.from(jwk.y ?? "", "base64url"),
  ]);
});

/** Whether OpenSSL accepts `04‖X‖Y` as a P-256 public key (it checks the point is on the curve). */
function opensslAccepts(point: Uint8Array): boolean {
  if (point.length !== 65 || point[0] !== 4) return false;
  try {
    createPublicKey({
      key: {
        kty: "EC",
        crv: "P-256",
        x: Buffer.from(point.subarray(1, 33)).toString("base64url"),
        y: Buffer.from(point.subarray(33)).toString("base64url"),
      },
      format: "jwk",
    });
    return true;
  } catch {
    return false;
  }
}

function parse(hex: string): Uint8Array | undefined {
  try {
    const point = parseDeviceKeyHex(hex);
    expect(toDeviceKeyHex(point)).toBe(hex.toLowerCase());
    return point;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPublicKeyError);
    expect((error as InvalidPublicKeyError).code).toBe("INVALID_PUBLIC_KEY");
    return undefined;
  }
}

const caseOf = fc.constantFrom<(hex: string) => string>(
  (hex) => hex,
  (hex) => hex.toUpperCase(),
  (hex) => [...hex].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join(""),
);

const byte = fc.integer({ min: 0, max: 255 });
type Mutation = (bytes: number[]) => number[];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(
    ([at, bit]): Mutation =>
      (b) =>
        b.map((x, i) => (i === at % b.length ? x ^ (1 << bit) : x)),
  ),
  fc.tuple(fc.nat(), byte).map(
    ([at, v]): Mutation =>
      (b) =>
        b.map((x, i) => (i === at % b.length ? v : x)),
  ),
  fc.constantFrom(0, 2, 3, 5, 6, 7).map(
    (prefix): Mutation =>
      (b) => [prefix, ...b.slice(1)],
  ),
  fc.nat().map(
    (at): Mutation =>
      (b) =>
        b.slice(0, at % b.length),
  ),
  fc.tuple(fc.nat(), byte).map(
    ([at, v]): Mutation =>
      (b) => [...b.slice(0, at % (b.length + 1)), v, ...b.slice(at % (b.length + 1))],
  ),
  // A coordinate replaced by 0, p − 1, p, p + 1 or 2²⁵⁶ − 1 (at or above p is no field element).
  fc
    .tuple(
      fc.boolean(),
      fc.constantFrom(0n, p256Curve.p - 1n, p256Curve.p, p256Curve.p + 1n, (1n << 256n) - 1n),
    )
    .map(
      ([isX, value]): Mutation =>
        (b) => {
          const at = isX ? 1 : 33;
          return [...b.slice(0, at), ...bigIntToBytes(value, 32), ...b.slice(at + 32)];
        },
    ),
);

describe("parseDeviceKeyHex under fuzzing", () => {
  it("answers arbitrary text only with its typed error", () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary", minLength: 128, maxLength: 132 }),
      fc.stringMatching(/^04[0-9a-fA-Fg-z ]{126,130}$/),
    );
    fc.assert(
      fc.property(text, (hex) => {
        expect(parse(hex)).toBeUndefined();
      }),
      { numRuns: runs, seed },
    );
  });

  it("accepts random bytes exactly when OpenSSL takes them as a P-256 point", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 70 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Uint8Array.from([4, ...b])),
    );
    fc.assert(
      fc.property(bytes, caseOf, (point, hexCase) => {
        expect(parse(hexCase(bytesToHex(point))) !== undefined).toBe(opensslAccepts(point));
      }),
      { numRuns: runs, seed },
    );
  });

  it("accepts every real key, and a mutated one exactly when OpenSSL still takes it", () => {
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...realKeys),
        fc.array(mutation, { maxLength: 3 }),
        caseOf,
        (key, mutations, hexCase) => {
          const bytes = Uint8Array.from(
            mutations.reduce((b, mutate) => (b.length === 0 ? b : mutate(b)), [...key]),
          );
          const point = parse(hexCase(bytesToHex(bytes)));
          expect(point !== undefined).toBe(opensslAccepts(bytes));
          if (mutations.length === 0) expect(point).toEqual(key);
          if (point === undefined) rejected++;
        },
      ),
      { numRuns: runs, seed },
    );
    expect(rejected).toBeGreaterThan(runs / 4);
  });

  it("refuses the point at infinity in every encoding", () => {
    for (const hex of ["00", "04", `04${"0".repeat(128)}`, `00${"0".repeat(128)}`]) {
      expect(parse(hex)).toBeUndefined();
    }
  });
});
