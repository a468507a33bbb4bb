import { hash, timingSafeEqual } from "node:crypto";

// One-shot hashing: a `createHash` object per value costs twice as much on the token endpoint's path.
const digest = (value: string) => hash("sha256", value, "buffer");

/**
 * Compares two secrets in constant time. Both sides are hashed first, so neither their lengths nor the
 * position of the first difference leaks through timing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
