/**
 * A P-256 secret key prepared for signing, by the `#ecdsa` module of the runtime: `ecdsa.node.ts`
 * (node:crypto, OpenSSL) on Node, `ecdsa.noble.ts` (@noble/curves) everywhere else. Both hash the message
 * with SHA-256 and return the same shapes, so callers never know which one runs. Both export
 * `generateSecretKey`, `isValidSecretKey`, `importSecretKey` (to an `EcdsaKey`) and `verifySignature`.
 */
export interface EcdsaKey {
  /** The SEC1 uncompressed point `04‖X‖Y` (65 bytes), a new array that the caller owns. */
  readonly publicKey: Uint8Array;
  /** ECDSA over SHA-256 of `message`: a new low-S `r‖s` (64 bytes, IEEE P1363). */
  sign(message: Uint8Array): Uint8Array;
}
