import type { Context } from "hono";
import type { SandboxEnv } from "../http/SandboxEnv";

/**
 * The IP address of the request's peer (the TCP socket's remote address), an IPv4-mapped IPv6 address
 * written as plain IPv4. No forwarding header is trusted: the sandbox is reached directly.
 *
 * @returns the address, or `"unknown"` without a Node socket (`app.request()` in a unit test).
 * @example
 * import type { SandboxRoute } from "../http/SandboxRoute";
 *
 * const whereFrom: SandboxRoute = {
 *   method: "GET",
 *   path: "/ip",
 *   handler: (c) => c.text(callerIpAddress(c)), // "127.0.0.1"
 * };
 */
export function callerIpAddress(c: Context<SandboxEnv>): string {
  return readableIpAddress(c.env?.incoming?.socket?.remoteAddress);
}

/**
 * A socket's remote address as the sandbox records it: an IPv4-mapped IPv6 address written as plain IPv4,
 * `"unknown"` when there is none.
 *
 * @example
 * readableIpAddress("::ffff:127.0.0.1"); // "127.0.0.1"
 */
export function readableIpAddress(address: string | undefined): string {
  if (address === undefined) return "unknown";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice("::ffff:".length) : address;
}
