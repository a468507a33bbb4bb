import type { Context } from "hono";
import type { SandboxEnv } from "../http/SandboxEnv";

/**
 * The IP address of the request's peer (the TCP socket's remote address), an IPv4-mapped IPv6 address
 * written as plain IPv4. No forwarding header is trusted: the sandbox is reached directly.
 *
 * @returns the address, or `"unknown"` without a Node socket (`app.request()` in a unit test).
 * @example
 * callerIpAddress(c); // "127.0.0.1"
 */
export function callerIpAddress(c: Context<SandboxEnv>): string {
  const address = c.env?.incoming?.socket?.remoteAddress;
  if (address === undefined) return "unknown";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice("::ffff:".length) : address;
}
