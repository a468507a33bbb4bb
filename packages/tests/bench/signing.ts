import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { createDeviceSignature, createSoftwareSigner, type P256Signer } from "@kontist-auth/crypto";
import { type Measurement, measure } from "./measure";

const count = 2_000;

/** A signer backend to compare with OpenSSL. */
export interface SignerContender {
  name: string;
  create: () => Promise<P256Signer> | P256Signer;
}

/** The backends compared; later backends add themselves here. */
export const signerContenders: SignerContender[] = [
  { name: "software (@noble/curves)", create: () => createSoftwareSigner() },
];

/**
 * Signs the same random 64-byte messages with `node:crypto` (OpenSSL) and with each backend, producing the
 * wire signature (low-S DER hex) through `createDeviceSignature`, as the client does.
 */
export async function benchmarkSigning(): Promise<{ baseline: Measurement; results: Measurement[] }> {
  const messages = Array.from({ length: count + 200 }, () => randomBytes(64));
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const baseline = await measure(
    "node:crypto (OpenSSL)",
    count,
    (i) => messages[i] as Buffer,
    (message) => sign("sha256", message, { key: privateKey, dsaEncoding: "der" }).toString("hex"),
  );
  const results: Measurement[] = [];
  for (const contender of signerContenders) {
    const signer = await contender.create();
    results.push(
      await measure(
        contender.name,
        count,
        (i) => messages[i] as Buffer,
        (message) => createDeviceSignature(signer, message),
      ),
    );
  }
  return { baseline, results };
}

/** The signing section of BENCHMARKS.md. */
export function signingTable({
  baseline,
  results,
}: {
  baseline: Measurement;
  results: Measurement[];
}): string {
  const row = (m: Measurement) =>
    `| ${m.name} | ${m.operations} | ${m.meanMicros.toFixed(0)} | ${m.medianMicros.toFixed(0)} | ${m.perSecond.toFixed(0)} | ${(baseline.perSecond / m.perSecond).toFixed(2)}× |`;
  return [
    "| signer | signatures | mean µs | median µs | signatures/s | time vs OpenSSL |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    row(baseline),
    ...results.map(row),
  ].join("\n");
}
