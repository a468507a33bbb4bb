import { randomBytes } from "node:crypto";

/** An unguessable opaque string: 32 random bytes, base64url (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}
