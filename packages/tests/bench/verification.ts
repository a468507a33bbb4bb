import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { verifyDeviceSignature } from "@kontist-auth/crypto";
import { type Measurement, measure } from "./measure";

const count = 2_000;
/** Issue 12's goal: verification's median within this factor of OpenSSL's. */
const goalFactor = 2;

/** What `pnpm bench` writes above the table. */
export const verificationDescription = `Device signatures (low-S DER hex over random 64-byte messages) verified one after another: \`verifyDeviceSignature\` of \`@kontist-auth/crypto\` (what the sandbox runs for every device verification; on Node it uses node:crypto through the package's \`#ecdsa\` import) beside \`node:crypto\`'s \`verify\` with a key object made once. "Same key" verifies ${count.toLocaleString("en")} signatures of one device key (a device confirming again and again); "new key" a signature of a different device key each time, so the key is imported on every call. The goal is a median within ${goalFactor}× of OpenSSL's.`;

/** A signed message: the device key as uncompressed-point hex, the message, the DER signature hex. */
interface Signed {
  publicKeyHex: string;
  message: Buffer;
  signatureHex: string;
}

/** `n` messages signed by one fresh P-256 key each time (`keys` = "new"), or all by one key ("same"). */
function signedMessages(n: number, keys: "same" | "new") {
  let pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return Array.from({ length: n }, (_, index) => {
    if (keys === "new" && index > 0) pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const message = randomBytes(64);
    const { x, y } = pair.publicKey.export({ format: "jwk" });
    const point = Buffer.concat([
      Buffer.of(4),
      Buffer.from(x ?? "", "base64url"),
      Buffer.from(y ?? "", "base64url"),
    ]);
    return {
      publicKeyHex: point.toString("hex"),
      message,
      signatureHex: sign("sha256", message, { key: pair.privateKey, dsaEncoding: "der" }).toString("hex"),
    } satisfies Signed;
  });
}

/**
 * Measures OpenSSL and `verifyDeviceSignature` on the same signatures, for one device key and for a new
 * key per signature, and answers the table for BENCHMARKS.md.
 *
 * @throws {Error} when a signature does not verify (the measurement would be of a failing path).
 */
export async function verificationTable(): Promise<string> {
  const rows: string[] = [];
  for (const keys of ["same", "new"] as const) {
    const signed = signedMessages(count + 200, keys);
    const at = (index: number) => signed[index] as Signed;
    const keyObjects = new Map<string, ReturnType<typeof createPublicKey>>();
    const openssl = ({ publicKeyHex, message, signatureHex }: Signed) => {
      // A key object is made on a key's first use, inside the timing: for a new key each time OpenSSL pays
      // the import too, as verifyDeviceSignature does; for the same key only the first call does.
      let key = keyObjects.get(publicKeyHex);
      if (key === undefined) {
        const point = Buffer.from(publicKeyHex, "hex");
        const jwk = {
          kty: "EC",
          crv: "P-256",
          x: point.subarray(1, 33).toString("base64url"),
          y: point.subarray(33).toString("base64url"),
        };
        key = createPublicKey({ key: jwk, format: "jwk" });
        keyObjects.set(publicKeyHex, key);
      }
      if (!verify("sha256", message, key, Buffer.from(signatureHex, "hex")))
        throw new Error("OpenSSL refused a signature");
    };
    const ours = ({ publicKeyHex, message, signatureHex }: Signed) => {
      if (!verifyDeviceSignature(publicKeyHex, message, signatureHex))
        throw new Error("verifyDeviceSignature refused a signature");
    };
    const baseline = await measure("node:crypto verify", count, at, openssl);
    const measured = await measure("verifyDeviceSignature", count, at, ours);
    const row = (m: Measurement, ratio?: number) =>
      `| ${m.name}, ${keys} key | ${m.operations} | ${m.meanMicros.toFixed(0)} | ${m.medianMicros.toFixed(0)} | ${
        ratio === undefined ? "1.00×" : `${ratio.toFixed(2)}× ${ratio <= goalFactor ? "✅" : "❌"}`
      } | ${m.perSecond.toFixed(0)} |`;
    rows.push(row(baseline), row(measured, measured.medianMicros / baseline.medianMicros));
  }
  return [
    `| verifier | signatures | mean µs | median µs | median vs OpenSSL (goal ≤ ${goalFactor}×) | verifications/s |`,
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ].join("\n");
}
