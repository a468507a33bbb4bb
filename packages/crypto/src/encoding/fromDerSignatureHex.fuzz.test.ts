import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { p256Curve } from "../curve/p256Curve";
import { SignatureEncodingError } from "../errors";
import { bigIntToBytes } from "./bigEndianInteger";
import { fromDerSignatureHex } from "./fromDerSignatureHex";
import { bytesToHex } from "./hex";
import { toDerSignatureHex } from "./toDerSignatureHex";

// Property-based fuzzing of the DER signature decoder: random bytes, random text, mutated valid DER and
// structured BER variants (long-form lengths, extra leading zeros, negative, zero or too large integers,
// trailing bytes). It throws only SignatureEncodingError, and whatever it accepts re-encodes to exactly
// its input: no non-canonical encoding gets through. FUZZ_RUNS / FUZZ_SEED override size and seed.

const runs = Number(process.env.FUZZ_RUNS ?? 5_000);
const seed = Number(process.env.FUZZ_SEED ?? 20_251_101);
const { n } = p256Curve;

/** Decodes, failing the property on any error but the typed one; `undefined` when rejected. */
function decode(hex: string): Uint8Array | undefined {
  try {
    return fromDerSignatureHex(hex);
  } catch (error) {
    expect(error).toBeInstanceOf(SignatureEncodingError);
    expect((error as SignatureEncodingError).code).toBe("INVALID_SIGNATURE_ENCODING");
    return undefined;
  }
}

/** Whatever is accepted is the canonical encoding of what it decoded to. */
function expectCanonicalIfAccepted(hex: string): Uint8Array | undefined {
  const rs = decode(hex);
  if (rs !== undefined) {
    expect(rs.length).toBe(64);
    expect(toDerSignatureHex(rs)).toBe(hex.toLowerCase());
  }
  return rs;
}

/** Hex of the bytes in lower, upper or mixed case. */
const anyCaseHex = (bytes: Uint8Array) =>
  fc
    .constantFrom("lower", "upper", "mixed")
    .map((form) =>
      form === "lower"
        ? bytesToHex(bytes)
        : form === "upper"
          ? bytesToHex(bytes).toUpperCase()
          : [...bytesToHex(bytes)].map((c, i) => (i % 3 === 0 ? c.toUpperCase() : c)).join(""),
    );

/** A scalar, often at an edge: small, a power of two (top bit set), near n, 0, n and above. */
const scalar = fc.oneof(
  fc.bigInt({ min: 1n, max: n - 1n }),
  fc.bigInt({ min: 1n, max: 0xffffn }),
  fc.integer({ min: 0, max: 263 }).map((bit) => 1n << BigInt(bit)),
  fc.constantFrom(0n, 1n, 0x7fn, 0x80n, 0xffn, n - 1n, n, n + 1n, (1n << 256n) - 1n),
);
const validScalar = fc.oneof(
  fc.bigInt({ min: 1n, max: n - 1n }),
  fc.bigInt({ min: 1n, max: 0xffffn }),
  fc.constantFrom(1n, 0x7fn, 0x80n, n - 1n),
);
const rawSignature = fc.tuple(validScalar, validScalar).map(([r, s]) => {
  const rs = new Uint8Array(64);
  rs.set(bigIntToBytes(r, 32), 0);
  rs.set(bigIntToBytes(s, 32), 32);
  return rs;
});

type LengthForm = "short" | "long1" | "long2";
const lengthForm = fc.oneof(
  { arbitrary: fc.constant<LengthForm>("short"), weight: 6 },
  { arbitrary: fc.constantFrom<LengthForm>("long1", "long2"), weight: 1 },
);
function encodeLength(length: number, form: LengthForm): number[] {
  if (form === "long1") return [0x81, length];
  if (form === "long2") return [0x82, length >> 8, length & 0xff];
  return length < 0x80 ? [length] : [0x81, length];
}

/** A DER/BER INTEGER of `value` with `extraZeros` needless leading zeros, or its sign padding dropped. */
const integer = fc.record({
  value: scalar,
  form: lengthForm,
  extraZeros: fc.oneof(
    { arbitrary: fc.constant(0), weight: 6 },
    { arbitrary: fc.integer({ min: 1, max: 2 }), weight: 1 },
  ),
  dropPadding: fc.oneof(
    { arbitrary: fc.constant(false), weight: 6 },
    { arbitrary: fc.constant(true), weight: 1 },
  ),
});
type Integer = typeof integer extends fc.Arbitrary<infer T> ? T : never;

function integerBytes({ value, form, extraZeros, dropPadding }: Integer): {
  bytes: number[];
  canonical: boolean;
} {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const unsigned = [...Buffer.from(hex, "hex")];
  const minimal = (unsigned[0] ?? 0) & 0x80 ? [0, ...unsigned] : unsigned;
  const content = [...new Array<number>(extraZeros).fill(0), ...(dropPadding ? unsigned : minimal)];
  // Dropping the sign padding and adding a zero gives the minimal form again: compare the bytes.
  const canonical = form === "short" && content.join() === minimal.join() && value >= 1n && value < n;
  return { bytes: [0x02, ...encodeLength(content.length, form), ...content], canonical };
}

/** A SEQUENCE of two INTEGERs in any of these forms, with `expected` saying whether strict DER allows it. */
const structured = fc
  .record({
    r: integer,
    s: integer,
    form: lengthForm,
    trailing: fc.oneof(
      { arbitrary: fc.constant([]), weight: 6 },
      { arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3 }), weight: 1 },
    ),
  })
  .map(({ r, s, form, trailing }) => {
    const first = integerBytes(r);
    const second = integerBytes(s);
    const body = [...first.bytes, ...second.bytes];
    const der = Uint8Array.from([0x30, ...encodeLength(body.length, form), ...body, ...trailing]);
    const canonical = first.canonical && second.canonical && form === "short" && trailing.length === 0;
    return { der, canonical, r: r.value, s: s.value };
  });

type Mutation = (bytes: number[]) => number[];
const interestingByte = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(0x00, 0x02, 0x30, 0x7f, 0x80, 0x81, 0xff),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(
    ([at, bit]): Mutation =>
      (b) =>
        b.map((x, i) => (i === at % b.length ? x ^ (1 << bit) : x)),
  ),
  fc.tuple(fc.nat(), interestingByte).map(
    ([at, v]): Mutation =>
      (b) =>
        b.map((x, i) => (i === at % b.length ? v : x)),
  ),
  fc.tuple(fc.nat(), interestingByte).map(
    ([at, v]): Mutation =>
      (b) => [...b.slice(0, at % (b.length + 1)), v, ...b.slice(at % (b.length + 1))],
  ),
  fc.nat().map(
    (at): Mutation =>
      (b) =>
        b.filter((_, i) => i !== at % b.length),
  ),
  fc.nat().map(
    (at): Mutation =>
      (b) =>
        b.slice(0, at % b.length),
  ),
  fc.array(interestingByte, { minLength: 1, maxLength: 4 }).map(
    (tail): Mutation =>
      (b) => [...b, ...tail],
  ),
);

describe("fromDerSignatureHex under fuzzing", () => {
  it("answers random bytes only with its typed error, and accepts only canonical DER", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      // Random contents behind the right SEQUENCE / INTEGER headers reach the deeper checks.
      fc.uint8Array({ maxLength: 76 }).map((b) => Uint8Array.from([0x30, b.length, 0x02, ...b])),
    );
    fc.assert(
      fc.property(bytes.chain(anyCaseHex), (hex) => {
        expectCanonicalIfAccepted(hex);
      }),
      { numRuns: runs, seed },
    );
  });

  it("answers arbitrary text only with its typed error", () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.stringMatching(/^30[0-9a-fA-FxX \n]{0,150}$/),
    );
    fc.assert(
      fc.property(text, (hex) => {
        expectCanonicalIfAccepted(hex);
      }),
      { numRuns: runs, seed },
    );
  });

  it("round-trips every valid signature, in any hex case", () => {
    fc.assert(
      fc.property(rawSignature, fc.boolean(), (rs, upper) => {
        const der = toDerSignatureHex(rs);
        expect(decode(upper ? der.toUpperCase() : der)).toEqual(rs);
      }),
      { numRuns: runs, seed },
    );
  });

  it("accepts a mutated valid signature only when the mutation left canonical DER", () => {
    fc.assert(
      fc.property(rawSignature, fc.array(mutation, { minLength: 1, maxLength: 3 }), (rs, mutations) => {
        const bytes = mutations.reduce(
          (b, mutate) => (b.length === 0 ? b : mutate(b)),
          [...Buffer.from(toDerSignatureHex(rs), "hex")],
        );
        expectCanonicalIfAccepted(bytesToHex(Uint8Array.from(bytes)));
      }),
      { numRuns: runs, seed },
    );
  });

  it("accepts a BER variant (long lengths, extra or missing zeros, out-of-range integers, trailing bytes) exactly when it is strict DER", () => {
    let accepted = 0;
    fc.assert(
      fc.property(structured, ({ der, canonical, r, s }) => {
        const rs = expectCanonicalIfAccepted(bytesToHex(der));
        expect(rs !== undefined).toBe(canonical);
        if (rs === undefined) return;
        accepted++;
        expect(rs).toEqual(Uint8Array.from([...bigIntToBytes(r, 32), ...bigIntToBytes(s, 32)]));
      }),
      { numRuns: runs, seed },
    );
    expect(accepted).toBeGreaterThan(runs / 10);
  });
});
