import { createPublicKey, type KeyObject } from "node:crypto";

/**
 * A `node:crypto` public `KeyObject` for a SEC1 uncompressed P-256 point `04‖X‖Y` (65 bytes), built
 * through a JWK (RFC 7518 §6.2.1) so OpenSSL, not this package, decides whether the point is on the curve.
 *
 * @throws {Error} from `node:crypto` when the point is not on P-256.
 *
 * @example
 * import { verify } from "node:crypto";
 *
 * const message = new TextEncoder().encode("123456");
 * const key = nodePublicKey(await signer.getPublicKey());
 * verify("sha256", message, { key, dsaEncoding: "ieee-p1363" }, await signer.sign(message));
 */
export function nodePublicKey(point: Uint8Array): KeyObject {
  const coordinate = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
  return createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: coordinate(point.subarray(1, 33)),
      y: coordinate(point.subarray(33, 65)),
    },
    format: "jwk",
  });
}
