import { startSandbox } from "@kontist-auth/sandbox";
import { clientCalls, faultUsers } from "../test/faultCalls";
import { brokenRules, type CaseOutcome, faultVariants, isRetryableFault, runCase } from "../test/faultCase";
import { runSoak } from "../test/faultSoak";

const soakCalls = 20_000;

/**
 * Every client call under every fault of the proxy (test/faultProxy.ts), then a soak of 20,000 calls with
 * faults mixed at random: faults injected and survived, by kind.
 */
export async function faultsTable(): Promise<string> {
  const users = faultUsers(clientCalls.length * faultVariants.length + 1);
  const sandbox = await startSandbox({ port: 0, users });
  try {
    const rows: string[] = [
      "| fault | calls | injected | survived | recovered by retry | typed errors | hangs | sent twice (non-idempotent) | token lost |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    const totals = [0, 0, 0, 0, 0, 0, 0, 0];
    let userIndex = 0;
    for (const { name, fault } of faultVariants) {
      const cases: { broken: string[]; outcome: CaseOutcome; idempotent: boolean }[] = [];
      // Five cases at a time.
      for (let start = 0; start < clientCalls.length; start += 5) {
        const batch = clientCalls.slice(start, start + 5);
        cases.push(
          ...(await Promise.all(
            batch.map(async (call) => {
              const user = users[userIndex++];
              if (user === undefined) throw new Error("out of users");
              const outcome = await runCase(sandbox, call, fault, user);
              return { broken: brokenRules(call, outcome), outcome, idempotent: call.idempotent };
            }),
          )),
        );
      }
      const count = (match: (item: (typeof cases)[number]) => boolean) => cases.filter(match).length;
      const figures = [
        cases.length,
        count((item) => item.outcome.faultApplied),
        count((item) => item.broken.length === 0),
        count((item) => item.idempotent && isRetryableFault(fault) && item.outcome.settled === "resolved"),
        count((item) => item.outcome.settled === "rejected"),
        count((item) => item.outcome.settled === "hang"),
        count((item) => !item.idempotent && item.outcome.sends.length > 1),
        count((item) => !item.outcome.tokenIntact),
      ];
      figures.forEach((figure, index) => {
        totals[index] = (totals[index] ?? 0) + figure;
      });
      rows.push(`| ${name} | ${figures.join(" | ")} |`);
    }
    rows.push(`| **all** | ${totals.map((total) => `**${total}**`).join(" | ")} |`);

    const soakSandbox = await startSandbox({ port: 0, users: users.slice(-1) });
    const user = users.at(-1);
    if (user === undefined) throw new Error("no user");
    const seed = Math.floor(Math.random() * 2 ** 31);
    const soak = await runSoak({
      sandbox: soakSandbox,
      user,
      calls: soakCalls,
      concurrency: 32,
      seed,
      faultRate: 0.2,
    }).finally(() => soakSandbox.close());
    const injected = Object.entries(soak.injected)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(", ");
    const outcomes = Object.entries(soak.outcomes)
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(", ");
    const total = Object.values(soak.injected).reduce((sum, count) => sum + count, 0);
    const soakRows = [
      "",
      `Soak: ${soak.calls.toLocaleString("en")} calls (32 at a time, seed ${seed}) with a fault on 20 % of requests, in ${(soak.elapsedMs / 1000).toFixed(1)} s.`,
      "",
      "| soak | figure |",
      "| --- | ---: |",
      `| faults injected | ${total} (${injected}) |`,
      `| call outcomes | ${outcomes} |`,
      `| idempotent requests retried | ${soak.retries} |`,
      `| hangs | ${soak.hangs} |`,
      `| failures that were not typed errors | ${soak.untyped.length} |`,
      `| non-idempotent requests sent twice | ${soak.extraSends.mutations + soak.extraSends.posts + soak.extraSends.refreshes} |`,
      `| calls after which the refresh token had changed or was lost | ${soak.lineageBreaks} |`,
      `| after the faults stopped: query and refresh work, same refresh token | ${soak.recovered ? "yes" : "no"} |`,
      `| sandbox's counts equal what the proxy forwarded | ${soak.sandboxAgrees ? "yes" : "no"} |`,
    ];
    return [...rows, ...soakRows].join("\n");
  } finally {
    await sandbox.close();
  }
}
