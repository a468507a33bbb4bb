import { p256Curve } from "./p256Curve";

/**
 * Tells whether the affine coordinates (x, y) are field elements and satisfy y² = x³ − 3x + b (mod p).
 * P-256 has cofactor 1, so every such point is in the prime-order group; the point at infinity has no
 * affine coordinates and so cannot pass.
 */
export function isPointOnP256(x: bigint, y: bigint): boolean {
  const { p, b } = p256Curve;
  if (x < 0n || x >= p || y < 0n || y >= p) return false;
  const left = (y * y) % p;
  const right = (((((x * x) % p) * x - 3n * x + b) % p) + p) % p;
  return left === right;
}
