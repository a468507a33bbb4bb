import type { PublishedPackage } from "../../../../scripts/checkPackages";

// The files of a project that installs every published package from its tarball: one program run as ESM
// and as CJS, a vitest file using the ESM-only kits, and TypeScript files checked under node10, node16
// (ESM and CJS) and bundler resolution. packages/tests/src/publishing/consumer.test.ts writes and runs them.

/** Every entry point of the packages as an import specifier (`@kontist-auth/client/oauth`). */
export function specifiers(
  packages: readonly PublishedPackage[],
  { esmOnly }: { esmOnly: boolean },
): string[] {
  return packages.flatMap((pkg) =>
    pkg.entryPoints
      .filter((path) => esmOnly || !pkg.esmOnlyEntryPoints.includes(path))
      .map((path) => (path === "." ? pkg.name : `${pkg.name}/${path.slice(2)}`)),
  );
}

/**
 * The seed flow against a sandbox started from the installed package, after loading every entry point in
 * `ENTRY_POINTS` (JSON): ESM loads with `import()`, CJS with `require`. Prints one JSON line: each entry
 * point's export names, whether the token is confirmed, the account's IBAN, and the code of the error a
 * wrong password gives.
 */
export function flowProgram(format: "esm" | "cjs"): string {
  const load =
    format === "esm"
      ? "const load = (specifier) => import(specifier);"
      : "const load = async (specifier) => require(specifier);";
  return `${load}

async function main() {
  const exported = {};
  for (const specifier of JSON.parse(process.env.ENTRY_POINTS)) {
    exported[specifier] = Object.keys(await load(specifier)).sort();
  }
  const { startSandbox } = await load("@kontist-auth/sandbox");
  const { Client } = await load("@kontist-auth/client");
  const { createSoftwareSigner } = await load("@kontist-auth/crypto");
  const { fileStore } = await load("@kontist-auth/token-store/file");
  const { isKontistAuthError } = await load("@kontist-auth/protocol/errors");

  const sandbox = await startSandbox({ port: 0 });
  try {
    const options = { baseUrl: sandbox.url, clientId: "demo-client", clientSecret: "demo-secret", scopes: ["users", "offline"] };
    const refused = await new Client(options).auth.tokenManager
      .fetchTokenFromCredentials({ username: "demo@example.com", password: "wrong" })
      .then(() => "no error", (error) => (isKontistAuthError(error) ? error.code : String(error)));

    const client = new Client({ ...options, tokenStore: fileStore(process.env.TOKEN_FILE) });
    await client.auth.tokenManager.fetchTokenFromCredentials({ username: "demo@example.com", password: "demo-password" });
    const signer = createSoftwareSigner();
    const device = await client.auth.device.bind({
      name: "consumer ${format}",
      signer,
      onBindingRequest: (request) => sandbox.test.confirmBindingRequest(request.id),
      otp: () => sandbox.test.latestOtp(),
    });
    await client.auth.device.confirm({ deviceId: device.deviceId, signer });
    const { viewer } = await client.graphQL.rawQuery("{ viewer { mainAccount { iban } } }");
    const confirmed = client.auth.tokenManager.token?.confirmed === true;
    console.log(JSON.stringify({ exported, confirmed, iban: viewer.mainAccount.iban, refused }));
  } finally {
    await sandbox.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;
}

/** A vitest file running both conformance kits on the built-in backends, as a backend author would. */
export const kitsTestFile = `import { createSoftwareSigner } from "@kontist-auth/crypto";
import { describeSignerConformance } from "@kontist-auth/crypto/testing";
import { memoryStore } from "@kontist-auth/token-store";
import { describeTokenStoreContract } from "@kontist-auth/token-store/testing";

describeSignerConformance("software signer, installed", async () => ({ signer: createSoftwareSigner() }));
describeTokenStoreContract("memoryStore, installed", () => ({ store: memoryStore() }));
`;

/**
 * A TypeScript file that imports every entry point in `entryPoints` and uses the main types; a
 * `@ts-expect-error` fails the check if the types resolved to `any`.
 */
export function typesProgram(entryPoints: readonly string[]): string {
  const kits = entryPoints.some((specifier) => specifier.endsWith("/testing"));
  const lines = [
    ...entryPoints.map((specifier, index) => `import * as entry${index} from "${specifier}";`),
    'import { Client } from "@kontist-auth/client";',
    'import { createSoftwareSigner, type P256Signer } from "@kontist-auth/crypto";',
    'import { isKontistAuthError } from "@kontist-auth/protocol/errors";',
    'import { memoryStore, type TokenStore } from "@kontist-auth/token-store";',
    ...(kits ? ['import { describeSignerConformance } from "@kontist-auth/crypto/testing";'] : []),
    "",
    `export const entryPoints = [${entryPoints.map((_, index) => `entry${index}`).join(", ")}];`,
    "const signer: P256Signer = createSoftwareSigner();",
    "const tokenStore: TokenStore = memoryStore();",
    'export const client = new Client({ clientId: "demo-public", tokenStore });',
    "",
    "export async function confirm(deviceId: string): Promise<boolean> {",
    "  await client.auth.device.confirm({ deviceId, signer });",
    "  return client.auth.tokenManager.token?.confirmed === true;",
    "}",
    "",
    "export function codeOf(error: unknown): string | undefined {",
    "  return isKontistAuthError(error) ? error.code : undefined;",
    "}",
    "",
    "// @ts-expect-error clientId is a string: fails if the types resolved to any",
    "export const wrong = new Client({ clientId: 42 });",
    ...(kits
      ? ["", 'export const kit = () => describeSignerConformance("software", async () => ({ signer }));']
      : []),
    "",
  ];
  return lines.join("\n");
}

/** The tsconfig of one TypeScript check: strict, no emit, declarations of the packages checked too. */
export function typesConfig(
  moduleOptions: { module: string; moduleResolution: string },
  files: readonly string[],
): string {
  const compilerOptions = {
    ...moduleOptions,
    target: "es2022",
    lib: ["es2022", "dom"],
    types: ["node"],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    esModuleInterop: true,
  };
  return `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`;
}
