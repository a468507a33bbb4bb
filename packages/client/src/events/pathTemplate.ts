/**
 * A request path as events show it: no query string or fragment, and each segment that is not only
 * `a`–`z` (an id, a number, anything encoded) replaced by `{id}`, so it names the route and nothing else.
 *
 * @example
 * pathTemplate("/api/user/devices/8c1e…/challenges"); // "/api/user/devices/{id}/challenges"
 */
export function pathTemplate(path: string): string {
  return path.replace(/[?#].*/s, "").replace(/[^/]*[^a-z/][^/]*/g, "{id}");
}
