import { runSecretHygiene, sourceCategory } from "../test/secrets/runSecretHygiene";

/** What `pnpm bench` writes above the table. */
export const secretsDescription =
  "Every flow (password login, binding request, bind, confirm, refresh, GraphQL and a subscription, push MFA approve and deny, the authorization-code flow, PKCS#11, logout) and its failing variants (wrong password, client secret, OTP, signature and PIN, expired tokens, injected resets, 5xx and timeouts, a careless server echoing what it was sent) through the client against an in-process sandbox and the `kontist-sandbox` binary, plus the CLI demo and the server example as real processes (packages/tests/test/secrets, the same run as `secretHygiene.test.ts`). Everything they showed was captured and searched for the actual secret values used.";

/**
 * One run of the secret hygiene test's flows (packages/tests/test/secrets): how many secret values were
 * searched for and found (to be zero), then a table of what was captured, by where it came from.
 */
export async function secretsTable(): Promise<string> {
  const report = await runSecretHygiene();
  const rows = new Map<string, { sources: number; lines: number; bytes: number; found: number }>();
  for (const { source, lines, bytes } of report.sizes) {
    const category = sourceCategory(source);
    const row = rows.get(category) ?? { sources: 0, lines: 0, bytes: 0, found: 0 };
    const found = report.findings.filter((finding) => finding.source === source).length;
    rows.set(category, {
      sources: row.sources + 1,
      lines: row.lines + lines,
      bytes: row.bytes + bytes,
      found: row.found + found,
    });
  }
  const total = [...rows.values()].reduce(
    (sum, row) => ({
      sources: sum.sources + row.sources,
      lines: sum.lines + row.lines,
      bytes: sum.bytes + row.bytes,
      found: sum.found + row.found,
    }),
    { sources: 0, lines: 0, bytes: 0, found: 0 },
  );
  const number = (value: number) => value.toLocaleString("en-US");
  const line = (name: string, row: typeof total) =>
    `| ${name} | ${number(row.sources)} | ${number(row.lines)} | ${number(row.bytes)} | ${row.found} |`;
  const values = Object.entries(report.secrets)
    .map(([kind, count]) => `${count} ${kind}${count === 1 ? "" : "s"}`)
    .join(", ");
  const valueCount = Object.values(report.secrets).reduce((sum, count) => sum + count, 0);
  const failing = report.outcomes.length;
  const summary = [
    `Searched for ${number(valueCount)} secret values (${values}) in ${number(report.forms)} forms (whole; percent-, form- and JSON-encoded; JWT payload and signature; first and last 16 characters; a key as hex, base64, base64url and bytes); ${failing} failing variants ran; ${(report.durationMs / 1000).toFixed(1)} s.`,
    `**Secrets found in output: ${report.findings.length}**; token- or key-shaped strings in the demo's output: ${report.demoSuspects.length}.`,
  ].join("\n\n");
  const table = [
    "| output searched | sources | lines | bytes | secrets found |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...[...rows].sort(([a], [b]) => a.localeCompare(b)).map(([name, row]) => line(name, row)),
    line("**total**", total),
  ].join("\n");
  return `${summary}\n\n${table}`;
}
