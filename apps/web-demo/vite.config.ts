import { defaultClientConditions, defineConfig } from "vite";

// Workspace packages resolve to their TypeScript sources (the `@kontist-auth/source` export condition),
// so the app builds from a fresh clone without building the packages first. Setting `conditions`
// replaces Vite's defaults, hence they are spread back in (`import` and `default` Vite adds itself).
export default defineConfig({
  resolve: { conditions: ["@kontist-auth/source", ...defaultClientConditions] },
  // 127.0.0.1, the sandbox's host: its login-session cookie is SameSite=Lax, so silent renewal in an
  // iframe needs the app on the same site (`localhost` and `127.0.0.1` are different sites).
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
});
