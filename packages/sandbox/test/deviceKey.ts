import { generateKeyPairSync, sign } from "node:crypto";

/** A P-256 key pair held by a test, standing in for a device's signer. */
export interface TestDeviceKey {
  /** The wire `key`: hex of the uncompressed point 04‖X‖Y (130 characters). */
  keyHex: string;
  /** The wire `signature`: hex of the DER ECDSA-SHA256 signature over the UTF-8 bytes of `message`. */
  sign(message: string): string;
}

/** Generates a device key with node:crypto (independent of `@kontist-auth/crypto`). */
export function createTestDeviceKey(): TestDeviceKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const x = Buffer.from(jwk.x ?? "", "base64url").toString("hex");
  const y = Buffer.from(jwk.y ?? "", "base64url").toString("hex");
  return {
    keyHex: `04${x}${y}`,
    sign: (message) => sign("sha256", Buffer.from(message, "utf8"), privateKey).toString("hex"),
  };
}
