import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/bin.ts"],
  format: ["esm"],
  clean: true,
  sourcemap: true,
  target: "node20",
  banner: { js: "#!/usr/bin/env node" },
  // Optional signer backends, loaded with import() when chosen; tsup externalises only dependencies.
  external: ["@kontist-auth/crypto-keychain", "@kontist-auth/crypto-pkcs11"],
});
