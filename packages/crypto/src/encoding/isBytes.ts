/**
 * Tells whether `value` is a `Uint8Array` (a Node `Buffer` counts), also one from another realm
 * (an iframe, a vitest/jsdom environment), where `instanceof` alone says no.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && value.constructor.name === "Uint8Array" && "BYTES_PER_ELEMENT" in value)
  );
}
