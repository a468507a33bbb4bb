import { hash } from "node:crypto";

/** The SHA-256 (base64url) of an opaque token: the store keeps this, never the token itself. */
export function hashToken(token: string): string {
  return hash("sha256", token, "base64url");
}
