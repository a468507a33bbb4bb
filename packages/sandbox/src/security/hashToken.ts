import { createHash } from "node:crypto";

/** The SHA-256 (base64url) of an opaque token: the store keeps this, never the token itself. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}
