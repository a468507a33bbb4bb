/**
 * One path segment for an id, percent-encoded. An id that is empty, `.` or `..` (also percent-encoded,
 * as `%2e`) would not name a resource but change the path (RFC 3986 §5.2.4 removes dot segments), so it
 * is refused before anything is sent.
 *
 * @throws {TypeError} for such an id.
 */
export function segment(id: string): string {
  if (typeof id !== "string" || /^(?:\.|%2e){0,2}$/i.test(id)) {
    throw new TypeError("An id in a path must be a non-empty string other than . or .. (nor %2e, %2e%2e).");
  }
  return encodeURIComponent(id);
}
