import { isBytes } from "../encoding/isBytes";

/**
 * Checks the argument of a {@link P256Signer.sign}: the message must be a `Uint8Array` (a Node `Buffer`
 * counts, also one from another realm). Every signer calls it first, so all reject a string or an array
 * the same way, before touching their key.
 *
 * @throws {TypeError} `sign: message must be a Uint8Array.` for anything else.
 *
 * @example
 * async sign(message) {
 *   assertSignMessage(message);
 *   return signWithMyBackend(Uint8Array.from(message));
 * }
 */
export function assertSignMessage(message: unknown): asserts message is Uint8Array {
  if (!isBytes(message)) throw new TypeError("sign: message must be a Uint8Array.");
}
