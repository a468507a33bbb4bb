import { hash, timingSafeEqual } from "node:crypto";

// Both digests are written into one scratch buffer, never into a Buffer per value: `hash(…, "buffer")`
// allocates an external ArrayBuffer per call, four times the cost of the digest itself on the token
// endpoint's path. A "binary" (latin1) string holds each digest byte as one character, so nothing is lost.
const digestBytes = 32;
const scratch = Buffer.alloc(2 * digestBytes);
const left = scratch.subarray(0, digestBytes);
const right = scratch.subarray(digestBytes);

/**
 * Compares two secrets in constant time. Both sides are hashed first, so neither their lengths nor the
 * position of the first difference leaks through timing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  scratch.write(hash("sha256", a, "binary"), 0, "binary");
  scratch.write(hash("sha256", b, "binary"), digestBytes, "binary");
  return timingSafeEqual(left, right);
}
