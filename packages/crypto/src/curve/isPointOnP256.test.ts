import { p256 } from "@noble/curves/nist.js";
import { describe, expect, it } from "vitest";
import { isPointOnP256 } from "./isPointOnP256";
import { p256Curve } from "./p256Curve";

describe("isPointOnP256", () => {
  it("accepts the base point and random points", () => {
    const { x, y } = p256.Point.BASE.toAffine();
    expect(isPointOnP256(x, y)).toBe(true);
    for (let i = 0; i < 20; i++) {
      const point = p256.Point.fromBytes(p256.keygen().publicKey).toAffine();
      expect(isPointOnP256(point.x, point.y)).toBe(true);
    }
  });

  it("rejects points off the curve and coordinates outside [0, p−1]", () => {
    const { x, y } = p256.Point.BASE.toAffine();
    expect(isPointOnP256(x, y + 1n)).toBe(false);
    expect(isPointOnP256(x + 1n, y)).toBe(false);
    expect(isPointOnP256(0n, 0n)).toBe(false);
    // (x, y + p) satisfies the equation mod p but is not a field element.
    expect(isPointOnP256(x, y + p256Curve.p)).toBe(false);
    expect(isPointOnP256(x - p256Curve.p, y)).toBe(false);
  });
});
