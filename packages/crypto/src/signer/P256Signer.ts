/**
 * The one primitive a key backend implements (software key, WebCrypto, OS keychain, PKCS#11 HSM, a phone's
 * secure element, …). The SDK does all wire encoding ({@link toDeviceKeyHex}, {@link createDeviceSignature}),
 * so every backend emits the same bytes.
 *
 * Contract:
 * - `getPublicKey()` resolves to the SEC1 uncompressed point `04‖X‖Y` (65 bytes) of a P-256 key.
 * - `sign(message)` resolves to an ECDSA signature over SHA-256(`message`) (the signer hashes), as raw
 *   `r‖s` (IEEE P1363, 64 bytes, `r` and `s` in `[1, n−1]`): what WebCrypto's `ECDSA`/`SHA-256` and
 *   PKCS#11's `CKM_ECDSA_SHA256` return. High-S is fine; {@link createDeviceSignature} normalises.
 * - Both reject (throw) on failure; they never resolve to a placeholder.
 *
 * @example
 * // A signer over a non-extractable WebCrypto key.
 * const keyPair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
 * const signer: P256Signer = {
 *   getPublicKey: async () => new Uint8Array(await crypto.subtle.exportKey("raw", keyPair.publicKey)),
 *   sign: async (message) =>
 *     new Uint8Array(
 *       await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keyPair.privateKey, Uint8Array.from(message)),
 *     ),
 * };
 * const signature = await createDeviceSignature(signer, "123456"); // e.g. the OTP sent by SMS
 */
export interface P256Signer {
  /** SEC1 uncompressed point 04‖X‖Y, 65 bytes. */
  getPublicKey(): Promise<Uint8Array>;
  /** ECDSA over SHA-256(message); raw r‖s, 64 bytes (what WebCrypto and PKCS#11 return). */
  sign(message: Uint8Array): Promise<Uint8Array>;
}
