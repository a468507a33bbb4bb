/** What a secret is replaced with. */
export const redacted = "[redacted]";

/** Shorter values are left alone: replacing every "s" of a message would destroy it and hide nothing. */
export const minSecretLength = 4;

/**
 * Replaces every occurrence of each secret (of at least {@link minSecretLength} characters) in `text`
 * with `[redacted]`, so that an error built from a server's message cannot carry a password or token
 * the server echoed back, as it was sent or percent- / form-encoded (a form body echoed raw).
 *
 * @example
 * redactSecrets("bad password hunter2", ["hunter2"]); // "bad password [redacted]"
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  // Longest first, so a secret containing another is replaced whole.
  const variants = secrets
    .filter((secret) => secret.length >= minSecretLength)
    .flatMap((secret) => {
      const percentEncoded = encodeURIComponent(secret);
      const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2);
      return [secret, percentEncoded, percentEncoded.replace(/%20/g, "+"), formEncoded];
    });
  const ordered = [...new Set(variants)].sort((a, b) => b.length - a.length);
  let result = text;
  for (const secret of ordered) result = result.split(secret).join(redacted);
  return result;
}
