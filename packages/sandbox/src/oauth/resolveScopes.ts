import { scopes as documentedScopes, parseScope } from "@kontist-auth/protocol";
import { OAuth2Error } from "./OAuth2Error";

const documented: ReadonlySet<string> = new Set(documentedScopes);

/**
 * The scopes a token request gets (RFC 6749 §3.3): all of `allowed` when `scope` is absent or empty,
 * else the requested ones, which must all be in `allowed`.
 *
 * @throws {OAuth2Error} `invalid_scope` naming the first scope not allowed (only a documented scope name
 *   is ever quoted).
 */
export function resolveScopes(scope: string | undefined, allowed: readonly string[]): string[] {
  const requested = parseScope(scope);
  if (requested.length === 0) return [...allowed];
  const refused = requested.find((item) => !allowed.includes(item));
  if (refused !== undefined) {
    throw new OAuth2Error(
      "invalid_scope",
      documented.has(refused)
        ? `The scope \`${refused}\` is not granted here.`
        : "A requested scope is unknown or not granted here.",
    );
  }
  return [...new Set(requested)];
}
