import { p256 } from "@noble/curves/nist.js";
import { describe, expect, it } from "vitest";
import { p256Curve } from "./p256Curve";

describe("p256Curve", () => {
  it("matches @noble/curves' P-256 parameters", () => {
    expect(p256Curve.p).toBe(p256.Point.Fp.ORDER);
    expect(p256Curve.n).toBe(p256.Point.Fn.ORDER);
    expect(p256Curve.b).toBe(p256.Point.CURVE().b);
    expect(p256.Point.CURVE().a).toBe(p256Curve.p - 3n);
    expect(p256Curve.halfN).toBe(p256Curve.n >> 1n);
  });
});
