import { isBytes } from "../encoding/isBytes";

const utf8 = new TextEncoder();

/** The bytes a device signature covers: the UTF-8 encoding of a string, or the bytes themselves. */
export function messageBytes(message: string | Uint8Array, caller: string): Uint8Array {
  if (typeof message === "string") return utf8.encode(message);
  if (isBytes(message)) return message;
  throw new TypeError(`${caller}: message must be a string or a Uint8Array.`);
}
