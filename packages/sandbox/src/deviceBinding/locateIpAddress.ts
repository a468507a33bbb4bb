/**
 * A readable place for an IP address, as Kontist's `DeviceBindingRequest.address` shows the user where a
 * request came from. The sandbox has no geolocation: it tells loopback from everything else.
 *
 * @example
 * locateIpAddress("127.0.0.1"); // "Loopback (sandbox)"
 * locateIpAddress("203.0.113.7"); // "Unknown location (sandbox)"
 */
export function locateIpAddress(ipAddress: string): string {
  const loopback = ipAddress === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ipAddress);
  return loopback ? "Loopback (sandbox)" : "Unknown location (sandbox)";
}
