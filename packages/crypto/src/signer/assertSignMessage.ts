import { isBytes } from "../encoding/isBytes";
import type { P256Signer } from "./P256Signer";

/**
 * Checks the argument of a {@link P256Signer.sign}: the message must be a `Uint8Array` (a Node `Buffer`
 * counts, also one from another realm). Every signer calls it first, so all reject a string or an array
 * the same way, before touching their key.
 *
 * @throws {TypeError} `sign: message must be a Uint8Array.` for anything else.
 *
 * @example
 * const keyPair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
 * const signer: P256Signer = {
 *   getPublicKey: async () => new Uint8Array(await crypto.subtle.exportKey("raw", keyPair.publicKey)),
 *   async sign(message) {
 *     assertSignMessage(message); // a TypeError for a string or an array, before the key is used
 *     const algorithm = { name: "ECDSA", hash: "SHA-256" };
 *     return new Uint8Array(await crypto.subtle.sign(algorithm, keyPair.privateKey, Uint8Array.from(message)));
 *   },
 * };
 */
export function assertSignMessage(message: unknown): asserts message is Uint8Array {
  if (!isBytes(message)) throw new TypeError("sign: message must be a Uint8Array.");
}
