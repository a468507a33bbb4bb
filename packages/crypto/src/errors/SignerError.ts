import { KontistAuthError, type KontistAuthErrorOptions } from "@kontist-auth/protocol/errors";

/**
 * A signer failed: its `sign` or `getPublicKey` threw (the original error is the `cause`), or it returned
 * something other than the contract promises (a 64-byte `r‖s` with `r` and `s` in `[1, n−1]`, a 65-byte
 * uncompressed point). Code `SIGNER_FAILED`. The message never contains key material or signature bytes.
 *
 * @example
 * try { await createDeviceSignature(signer, otp); }
 * catch (error) { if (isKontistAuthError(error, "SIGNER_FAILED")) console.error(error.message, error.cause); }
 */
export class SignerError extends KontistAuthError {
  constructor(message: string, options: KontistAuthErrorOptions = {}) {
    super("SIGNER_FAILED", message, options);
  }
}
