/**
 * The route pattern of a `paths` builder of `@kontist-auth/protocol`, with `{name}` for each parameter,
 * as the API docs write it.
 *
 * @example
 * import { paths } from "@kontist-auth/protocol";
 *
 * routePattern(paths.verifyDevice, "deviceId"); // "/api/user/devices/{deviceId}/verify"
 */
export function routePattern<Names extends string[]>(
  build: (...ids: Names) => string,
  ...names: Names
): string {
  // The builders percent-encode their arguments; the braces of the placeholders come back out here.
  return decodeURIComponent(build(...(names.map((name) => `{${name}}`) as Names)));
}
