import { generateKeyPairSync, randomBytes, randomUUID, sign } from "node:crypto";
import {
  createDeviceSignature,
  createSoftwareSigner,
  createWebCryptoSigner,
  type P256Signer,
} from "@kontist-auth/crypto";
import { createKeychainSigner } from "@kontist-auth/crypto-keychain";
import { createPkcs11Signer } from "@kontist-auth/crypto-pkcs11";
import { ensureSecretService } from "../../crypto-keychain/test/secretService";
import { createSoftHsmToken } from "../../crypto-pkcs11/test/softhsm";
import { type Measurement, measure, throughput } from "./measure";

const count = 2_000;
const inFlight = 16;

/** A signer backend to compare with OpenSSL: how to make one, and how to clean up after it. */
export interface SignerContender {
  name: string;
  create: () => Promise<{ signer: P256Signer; dispose?: () => Promise<void> }>;
}

/** The backends compared. */
export const signerContenders: SignerContender[] = [
  { name: "software (node:crypto on Node)", create: async () => ({ signer: createSoftwareSigner() }) },
  {
    name: "WebCrypto (Node's, non-extractable key)",
    create: async () => ({ signer: await createWebCryptoSigner() }),
  },
  {
    name: "OS keychain (Secret Service: GNOME Keyring, read per sign)",
    create: async () => {
      const session = await ensureSecretService();
      const signer = await createKeychainSigner({
        service: `kontist-auth-bench-${randomUUID()}`,
        account: "bench",
      });
      return {
        signer,
        dispose: async () => {
          await signer.deleteKey();
          await session.stop();
        },
      };
    },
  },
  {
    name: "PKCS#11 (SoftHSM2 2.6, key inside the token)",
    create: async () => {
      const token = await createSoftHsmToken({ tokenLabel: "kontist-bench" });
      const signer = await createPkcs11Signer({ ...token, keyLabel: "bench-key" });
      return {
        signer,
        dispose: async () => {
          await signer.deleteKey();
          await token.remove();
        },
      };
    },
  },
];

/** One backend's figures: sequential latency, and throughput with {@link inFlight} signs at once. */
export interface SigningResult extends Measurement {
  concurrentPerSecond: number;
}

/**
 * Signs the same random 64-byte messages with `node:crypto` (OpenSSL) and with each backend, producing the
 * wire signature (low-S DER hex) through `createDeviceSignature`, as the client does.
 */
export async function benchmarkSigning(
  contenders: readonly SignerContender[] = signerContenders,
): Promise<{ baseline: SigningResult; results: SigningResult[] }> {
  const messages = Array.from({ length: count + 200 }, () => randomBytes(64));
  const message = (i: number) => messages[i] as Buffer;
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const openssl = (value: Buffer) =>
    sign("sha256", value, { key: privateKey, dsaEncoding: "der" }).toString("hex");
  const baseline = {
    ...(await measure("node:crypto (OpenSSL)", count, message, openssl)),
    concurrentPerSecond: await throughput(count, inFlight, message, openssl),
  };
  const results: SigningResult[] = [];
  for (const contender of contenders) {
    const { signer, dispose } = await contender.create();
    try {
      const wire = (value: Buffer) => createDeviceSignature(signer, value);
      results.push({
        ...(await measure(contender.name, count, message, wire)),
        concurrentPerSecond: await throughput(count, inFlight, message, wire),
      });
    } finally {
      await dispose?.();
    }
  }
  return { baseline, results };
}

/** The signing section of BENCHMARKS.md. */
export function signingTable({
  baseline,
  results,
}: {
  baseline: SigningResult;
  results: SigningResult[];
}): string {
  const ratio = (value: number) => `${value.toFixed(2)}×`;
  const row = (m: SigningResult) =>
    [
      m.name,
      m.operations,
      m.meanMicros.toFixed(0),
      m.medianMicros.toFixed(0),
      ratio(m.medianMicros / baseline.medianMicros),
      m.perSecond.toFixed(0),
      m.concurrentPerSecond.toFixed(0),
      ratio(m.concurrentPerSecond / baseline.concurrentPerSecond),
    ].join(" | ");
  return [
    `| signer | signatures | mean µs | median µs | median vs OpenSSL (goal for software ≤ 3×) | signatures/s, one at a time | signatures/s, ${inFlight} in flight | throughput vs OpenSSL |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${row(baseline)} |`,
    ...results.map((result) => `| ${row(result)} |`),
  ].join("\n");
}
