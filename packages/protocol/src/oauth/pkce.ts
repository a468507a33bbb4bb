/** The characters RFC 7636 §4.1 allows in a PKCE code verifier: RFC 3986's unreserved characters. */
const verifierCharacters = "A-Za-z0-9\\-._~";

/**
 * What RFC 7636 §4.1 allows in a PKCE code verifier: 43 to 128 unreserved characters. Clients generate
 * and check their verifiers against it.
 *
 * @example
 * codeVerifierPattern.test("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); // true (RFC 7636's example)
 */
export const codeVerifierPattern = new RegExp(`^[${verifierCharacters}]{43,128}$`);

/**
 * What a token request's `code_verifier` may be: the characters of {@link codeVerifierPattern}, 1 to 128
 * of them. Kontist's docs show a 16-digit verifier, shorter than RFC 7636's 43, so servers accept any
 * length up to 128.
 */
export const acceptedCodeVerifierPattern = new RegExp(`^[${verifierCharacters}]{1,128}$`);
