import { describe, expect, it } from "vitest";
import { bundleBudgets, measureBrowserBundle } from "../test/browser/bundleBudgets";

// Issue 12, item 1: the browser bundles of typical apps stay within their budgets; one over budget fails
// the build. Measured from the built packages (`dist`, as npm installs them), as `pnpm bench` reports them.
describe("browser bundle budgets (gzipped, what loads before the app's code runs)", () => {
  for (const { name, code, budget } of bundleBudgets) {
    it(`${name}: at most ${(budget / 1000).toFixed(1)} KB`, async () => {
      const size = await measureBrowserBundle(code);
      expect(size.gzipped).toBeGreaterThan(1_000); // measured something
      expect(size.gzipped).toBeLessThanOrEqual(budget);
    }, 30_000);
  }

  it("the measurement leaves out what loads on demand: graphql-ws comes only with the first subscription", async () => {
    const size = await measureBrowserBundle(
      `import { Client } from "@kontist-auth/client"; globalThis.client = new Client({ clientId: "app" });`,
    );
    expect(size.onDemandGzipped).toBeGreaterThan(2_000);
  }, 30_000);
});
