import { gzipSync } from "node:zlib";
import { bundleForBrowser } from "../test/browser/bundle";

/** What an app imports, and the bundle that costs it. */
const imports = [
  { name: "client: `Client`", code: `import { Client } from "@kontist-auth/client"; globalThis.x = Client;` },
  {
    name: "client + crypto: `Client`, `createSoftwareSigner`",
    code: `import { Client } from "@kontist-auth/client"; import { createSoftwareSigner } from "@kontist-auth/crypto"; globalThis.x = [Client, createSoftwareSigner];`,
  },
  {
    name: "crypto: `createDeviceSignature`, `toDeviceKeyHex` (bring-your-own signer)",
    code: `import { createDeviceSignature, toDeviceKeyHex } from "@kontist-auth/crypto"; globalThis.x = [createDeviceSignature, toDeviceKeyHex];`,
  },
  {
    name: "protocol: `parseResponse`, `tokenResponseSchema`",
    code: `import { parseResponse, tokenResponseSchema } from "@kontist-auth/protocol"; globalThis.x = [parseResponse, tokenResponseSchema];`,
  },
];

/** Minified and gzipped sizes of browser bundles of typical imports (esbuild, ESM, tree-shaken). */
export async function bundleSizeTable(): Promise<string> {
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  const rows: string[] = [];
  for (const entry of imports) {
    const bundle = await bundleForBrowser(entry.code);
    rows.push(`| ${entry.name} | ${kib(Buffer.byteLength(bundle))} | ${kib(gzipSync(bundle).length)} |`);
  }
  return ["| import | minified KiB | gzipped KiB |", "| --- | ---: | ---: |", ...rows].join("\n");
}
