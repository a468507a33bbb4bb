import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeRun, seedFlowRuntimes } from "../test/runtimes/seedFlowRuntimes";
import { type SeedFlowSession, startSeedFlowSession } from "../test/runtimes/seedFlowSession";

// Issue 15, item 3: the packed packages (`pnpm pack`, installed with npm in a scratch project outside the
// workspace) run the seed flow — password login, a device binding request the user confirms, bind with a
// non-extractable WebCrypto key, confirm, refresh, `{ viewer { mainAccount { iban } } }` — against the
// sandbox in this process, from Node, Bun, Deno (`npm:` specifiers out of the project's node_modules),
// workerd (through miniflare, no `nodejs_compat`) and Chromium. Each runtime logs in as a user of its own;
// the user's part goes through the sandbox's test client here (test/runtimes/userServer.ts). A missing
// runtime fails the test, in CI and locally alike: its binary comes with packages/tests' devDependencies
// (Chromium from scripts/install-system-deps.sh). test/runtimes/README.md lists the runtimes' own gaps.

/** Password and refresh grants the sandbox has answered so far. */
async function grantCounts(session: SeedFlowSession) {
  const { grants } = await session.sandbox.test.stats();
  return { password: grants.password ?? 0, refresh: grants.refresh_token ?? 0 };
}

describe("the seed flow from the packed packages", () => {
  let session: SeedFlowSession;
  const runs = new Map<string, RuntimeRun>();

  beforeAll(async () => {
    session = await startSeedFlowSession(seedFlowRuntimes.map((runtime) => runtime.name));
    await session.warmUp();
  }, 90_000);

  afterAll(async () => {
    if (runs.size > 0) {
      const rows = [...runs].map(
        ([label, { result, wallMs }]) =>
          `  ${label.padEnd(22)} flow ${result.flowMs.toFixed(0).padStart(5)} ms   start to result ${wallMs.toFixed(0).padStart(5)} ms`,
      );
      console.log(`The seed flow per runtime (packed packages, sandbox on loopback):\n${rows.join("\n")}`);
    }
    await session?.close();
  });

  it.each(seedFlowRuntimes)(
    "runs in $label to a confirmed refreshed token and the IBAN",
    async (runtime) => {
      if (runtime.missing !== undefined) {
        throw new Error(
          `${runtime.label} cannot run: ${runtime.missing}. Install packages/tests' devDependencies (and Chromium with scripts/install-system-deps.sh).`,
        );
      }
      const user = session.users.get(runtime.name);
      const before = await grantCounts(session);

      const run = await runtime.run(session.app, session.userUrl(runtime.name));
      runs.set(runtime.label, run);

      const after = await grantCounts(session);
      const { result } = run;
      const device = { confirmed: true, kid: result.deviceId, subject: user?.id };
      expect(result).toEqual({
        runtime: expect.stringMatching(runtime.expectedRuntime),
        privateKeyExtractable: false,
        loginConfirmed: false,
        bindingRequestId: expect.any(String),
        deviceId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        confirmed: device,
        refreshed: { ...device, newAccessToken: true },
        iban: user?.iban,
        flowMs: expect.any(Number),
      });
      expect(result.flowMs).toBeGreaterThan(0);
      // The user confirmed this flow's binding request and read its SMS, once each.
      expect(session.userServer.actions(runtime.name)).toEqual({
        confirmed: [result.bindingRequestId],
        otpsRead: 1,
      });
      // One password grant and one refresh reached the sandbox from the runtime.
      const grants = { password: after.password - before.password, refresh: after.refresh - before.refresh };
      expect(grants).toEqual({ password: 1, refresh: 1 });
    },
    30_000,
  );
});
