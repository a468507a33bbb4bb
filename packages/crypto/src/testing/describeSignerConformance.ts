import { afterAll, describe, it } from "vitest";
import type { createDeviceSignature } from "../signature/createDeviceSignature";
import type { verifyDeviceSignature } from "../signature/verifyDeviceSignature";
import type { P256Signer } from "../signer/P256Signer";
import type { SignerConformanceOptions, SignerUnderTest } from "./SignerUnderTest";
import { type SignerCheckContext, signerChecks } from "./signerChecks";

/**
 * Registers a vitest `describe(name, …)` suite that checks a {@link P256Signer} backend against the signer
 * contract, one `it` per rule: the public key is a 65-byte uncompressed point on P-256 and stable;
 * `sign()` returns 64-byte `r‖s` that `node:crypto` (OpenSSL) and {@link verifyDeviceSignature} accept;
 * {@link createDeviceSignature} output is low-S; nonces are never reused (deterministic RFC 6979 or random,
 * either passes); a signature does not verify for another message; `concurrency` parallel signs all verify;
 * the empty message, UTF-8 with non-ASCII characters and 1 MiB sign correctly; the message buffer is left
 * untouched and a view is signed by its own bytes; after `deleteKey()` both methods reject with a
 * `KontistAuthError`.
 *
 * Most checks share one signer, created on first use and deleted (when it has `deleteKey`) after the
 * suite; the delete check calls `create` once more. So `create` must return a signer over a key of its
 * own each time (a unique id or label per call).
 *
 * Import it from `@kontist-auth/crypto/testing` in a vitest test file; it needs Node (`node:crypto`).
 *
 * @param name - the suite's name, e.g. the backend's.
 * @param create - makes a signer under test over a new key.
 * @param options - see {@link SignerConformanceOptions}.
 * @throws {TypeError} when `concurrency` is not a positive integer.
 *
 * @example
 * import { createSoftwareSigner } from "@kontist-auth/crypto";
 * import { describeSignerConformance } from "@kontist-auth/crypto/testing";
 *
 * describeSignerConformance("software signer", async () => ({ signer: createSoftwareSigner() }));
 */
export function describeSignerConformance(
  name: string,
  create: () => Promise<SignerUnderTest>,
  options: SignerConformanceOptions = {},
): void {
  const concurrency = options.concurrency ?? 100;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TypeError("describeSignerConformance: concurrency must be a positive integer.");
  }
  if (typeof create !== "function")
    throw new TypeError("describeSignerConformance: create must be a function.");

  describe(name, () => {
    let shared: Promise<SignerUnderTest> | undefined;
    const context: SignerCheckContext = {
      shared: () => {
        shared ??= create();
        return shared;
      },
      fresh: () => create(),
      concurrency,
    };

    for (const check of signerChecks) it(check.name, () => check.run(context), options.timeout);

    afterAll(async () => {
      const subject = await shared?.catch(() => undefined); // a failed create already failed the tests
      await subject?.deleteKey?.();
    }, options.timeout);
  });
}
