/**
 * The NIST P-256 (secp256r1) domain parameters the wire encodings need (SEC 2 §2.4.2, FIPS 186-5).
 * Plain bigints, so that DER, low-S and point checks do not pull @noble/curves into a bundle.
 * `a` is −3 mod p, so the curve is y² = x³ − 3x + b over GF(p).
 */
export const p256Curve = {
  /** The field prime. */
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  /** The order of the base point: signature scalars `r` and `s` lie in `[1, n−1]`. */
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  /** The curve coefficient b. */
  b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  /** ⌊n/2⌋: a signature is low-S when `s ≤ halfN`. */
  halfN: 0x7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8n,
} as const;
