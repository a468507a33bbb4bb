import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * A signature is not in the encoding asked for: not strict ASN.1 DER, not 64 bytes of `r‖s`, or `r` / `s`
 * outside `[1, n−1]`. Code `INVALID_SIGNATURE_ENCODING`. The message names the rule that failed, never
 * the signature itself.
 *
 * @example
 * try { fromDerSignatureHex(input); }
 * catch (error) { if (isKontistAuthError(error, "INVALID_SIGNATURE_ENCODING")) console.error(error.message); }
 */
export class SignatureEncodingError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("INVALID_SIGNATURE_ENCODING", message, options);
  }
}
