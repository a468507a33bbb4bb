import { randomFillSync } from "node:crypto";

const tokenBytes = 32;
// Random bytes drawn 128 tokens at a time, as Node draws them for `randomUUID`: one `randomBytes(32)` per
// token costs the token endpoint more than its whole JSON answer. Every byte is handed out once.
const pool = Buffer.alloc(tokenBytes * 128);
let used = pool.length;

/** An unguessable opaque string: 32 random bytes from the CSPRNG, base64url (43 characters). */
export function randomToken(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const token = pool.toString("base64url", used, used + tokenBytes);
  // Nothing keeps a handed-out token's bytes.
  pool.fill(0, used, used + tokenBytes);
  used += tokenBytes;
  return token;
}
