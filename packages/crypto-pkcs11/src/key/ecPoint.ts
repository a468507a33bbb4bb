import { toDeviceKeyHex } from "@kontist-auth/crypto";
import { Pkcs11InvalidKeyError } from "../errors";

/**
 * `CKA_EC_PARAMS` of a P-256 key: the DER encoding of the named curve's OID, 1.2.840.10045.3.1.7
 * (`prime256v1` / `secp256r1`, RFC 5480 §2.1.1.1).
 */
export const P256_EC_PARAMS: Uint8Array = Uint8Array.of(
  0x06,
  0x08,
  0x2a,
  0x86,
  0x48,
  0xce,
  0x3d,
  0x03,
  0x01,
  0x07,
);

/**
 * Turns a `CKA_EC_POINT` into the 65-byte SEC1 point `04‖X‖Y`, checked on P-256. PKCS#11 v2.40 §2.3.3
 * stores the point DER-encoded in an OCTET STRING (`04 41 04‖X‖Y`); some older tokens store the bare
 * point, which is accepted too.
 *
 * @throws {Pkcs11InvalidKeyError} when the value is neither form, or the point is not on P-256.
 */
export function unwrapEcPoint(ecPoint: Uint8Array): Uint8Array {
  let point: Uint8Array;
  if (ecPoint.length === 67 && ecPoint[0] === 0x04 && ecPoint[1] === 0x41) point = ecPoint.subarray(2);
  else if (ecPoint.length === 65 && ecPoint[0] === 0x04) point = ecPoint;
  else {
    throw new Pkcs11InvalidKeyError(
      `CKA_EC_POINT is not an uncompressed P-256 point in a DER OCTET STRING (${ecPoint.length} bytes).`,
    );
  }
  try {
    toDeviceKeyHex(point); // checks the length, the 04 prefix and that the point is on the curve
  } catch (cause) {
    throw new Pkcs11InvalidKeyError("CKA_EC_POINT is not a point on P-256.", { cause });
  }
  return Uint8Array.from(point);
}

/** Whether a `CKA_EC_PARAMS` value names P-256. */
export function isP256EcParams(ecParams: Uint8Array): boolean {
  return (
    ecParams.length === P256_EC_PARAMS.length &&
    ecParams.every((byte, index) => byte === P256_EC_PARAMS[index])
  );
}
