import { Client } from "@kontist-auth/client";
import { paths, sleep } from "@kontist-auth/protocol";
import { startSandbox } from "@kontist-auth/sandbox";

const callers = 1_000;
const accessTokenTtl = 10;
const query = "{ viewer { id email } }";
const credentials = { clientId: "demo-client", clientSecret: "demo-secret" };
const user = { username: "demo@example.com", password: "demo-password" };

/**
 * A naive client: each caller that finds the access token expired refreshes on its own, then makes its
 * call. Counted at the same sandbox, so both figures are measured, not assumed.
 */
async function naiveCallers(url: string, refreshToken: string): Promise<void> {
  const basic = `Basic ${btoa(`${credentials.clientId}:${credentials.clientSecret}`)}`;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      const response = await fetch(new URL(paths.token, url), {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
      });
      const { access_token: accessToken } = (await response.json()) as { access_token: string };
      await fetch(new URL(paths.graphQL, url), {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
    }),
  );
}

/**
 * 1,000 concurrent `rawQuery` calls with an expired access token: token requests made by our client
 * (single-flight refresh) and by a naive client, at the sandbox.
 */
export async function refreshConcurrencyTable(): Promise<string> {
  const sandbox = await startSandbox({ port: 0, accessTokenTtl });
  try {
    const client = new Client({
      baseUrl: sandbox.url,
      ...credentials,
      scopes: ["users", "offline"],
      refreshLeeway: 0,
    });
    const token = await client.auth.tokenManager.fetchTokenFromCredentials(user);
    await sleep(accessTokenTtl * 1000 + 200);

    let before = await sandbox.test.grantCount("refresh_token");
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: callers }, () => client.graphQL.rawQuery(query)),
    );
    const oursMs = performance.now() - started;
    const ours = (await sandbox.test.grantCount("refresh_token")) - before;
    const failed = results.filter((result) => result.status === "rejected").length;

    before = await sandbox.test.grantCount("refresh_token");
    const naiveStarted = performance.now();
    await naiveCallers(sandbox.url, token.refreshToken ?? "");
    const naiveMs = performance.now() - naiveStarted;
    const naive = (await sandbox.test.grantCount("refresh_token")) - before;

    return [
      `| client | concurrent calls | refresh requests | failed calls | wall time ms |`,
      "| --- | ---: | ---: | ---: | ---: |",
      `| @kontist-auth/client (single-flight) | ${callers} | ${ours} | ${failed} | ${oursMs.toFixed(0)} |`,
      `| naive (one refresh per caller) | ${callers} | ${naive} | 0 | ${naiveMs.toFixed(0)} |`,
    ].join("\n");
  } finally {
    await sandbox.close();
  }
}
