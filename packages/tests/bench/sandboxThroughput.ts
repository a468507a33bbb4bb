import autocannon from "autocannon";
import { LoadSandboxProcess } from "../test/load/LoadSandboxProcess";
import type { LoadSandboxSettings } from "../test/load/loadMessages";
import { loadUsers } from "../test/load/loadUsers";
import { TestProcess } from "../test/TestProcess";

/** Connections autocannon keeps open, each sending its next request as soon as the last is answered. */
const connections = 32;
/** Seconds of load before each measurement (JIT, caches, connections), then seconds measured. */
const warmupSeconds = 1;
const measuredSeconds = 5;
/** Issue 12's goal: the token endpoint answers at least this share of the bare route's rate. */
const goalRatio = 0.25;

/** What `pnpm bench` writes above the table. */
export const sandboxThroughputDescription = `Requests per second on loopback from autocannon (${connections} connections, ${measuredSeconds} s after ${warmupSeconds} s of warm-up) in this process, each server alone in a child process so that it has a core of its own: a bare Hono route (\`c.text("hello")\`, @hono/node-server) as the yardstick, then the sandbox's token endpoint (the password grant, and the refresh_token grant reusing one refresh token, as Kontist allows). The ratio is the endpoint's rate over the bare route's in the same run (goal: at least ${goalRatio}). Complete flows per second, with p50 and p99, are in "Load: complete flows at once against one sandbox process".`;

/** A bare Hono app, as small as a Node HTTP route gets with the sandbox's framework and adapter. */
const bareHonoServer = `
import { serve } from "@hono/node-server";
import { Hono } from "hono";
const app = new Hono().get("/", (c) => c.text("hello"));
setTimeout(() => process.exit(3), 120_000).unref();
process.stdin.on("end", () => process.exit(0)).resume();
serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, ({ port }) => {
  process.stdout.write(JSON.stringify({ type: "ready", url: "http://127.0.0.1:" + port }) + "\\n");
});
`;

/** One measured route: its requests per second and latencies. */
interface Throughput {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** What autocannon sends: the method, body and headers of every request. */
type Request = Pick<autocannon.Options, "method" | "body" | "headers">;

/**
 * Loads `url` with {@link connections} connections: {@link warmupSeconds} unmeasured, then
 * {@link measuredSeconds} measured.
 *
 * @throws when autocannon cannot run (a bad URL or options).
 */
async function cannon(name: string, url: string, request: Request = {}): Promise<Throughput> {
  await autocannon({ url, connections, duration: warmupSeconds, ...request });
  const result = await autocannon({ url, connections, duration: measuredSeconds, ...request });
  return {
    name,
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** The bare Hono route, measured in a child process of its own. */
async function bareHono(): Promise<Throughput> {
  const server = new TestProcess<{ type: "ready"; url: string }>("bare Hono", [
    "--input-type=module",
    "-e",
    bareHonoServer,
  ]);
  try {
    const { url } = await server.next("ready", 20_000);
    return await cannon("bare Hono route (`GET /`, `hello`)", `${url}/`);
  } finally {
    await server.kill();
  }
}

/** The sandbox of the load benchmark with its defaults (no rate limit, no log) and one user. */
const sandboxSettings: LoadSandboxSettings = { options: {}, users: 1, lifetimeMs: 120_000 };
const [user] = loadUsers(sandboxSettings.users);
const client = { client_id: "demo-client", client_secret: "demo-secret" };
const formHeaders = { "content-type": "application/x-www-form-urlencoded" };
/** A token request of the seeded confidential client, its credentials in the form body. */
const tokenForm = (fields: Record<string, string>) =>
  new URLSearchParams({ ...fields, ...client }).toString();
const post = (body: string): Request => ({ method: "POST", headers: formHeaders, body });

/**
 * The token endpoint of a sandbox in a child process of its own: the password grant (a new sign-in
 * session, an access token and a refresh token per request), then the refresh_token grant with one
 * refresh token, reused (refresh tokens do not rotate by default, as at Kontist).
 *
 * @throws when the sandbox does not start or its password grant fails.
 */
async function tokenEndpoint(): Promise<Throughput[]> {
  if (user === undefined) throw new Error("no load user to log in with");
  const sandbox = await LoadSandboxProcess.start(sandboxSettings);
  try {
    const tokenUrl = `${sandbox.url}/api/oauth/token`;
    const password = tokenForm({
      grant_type: "password",
      username: user.email,
      password: user.password,
      scope: "users offline",
    });
    const login = await fetch(tokenUrl, { method: "POST", headers: formHeaders, body: password });
    if (!login.ok) throw new Error(`the password grant answered ${login.status}`);
    const { refresh_token: refreshToken } = (await login.json()) as { refresh_token: string };
    return [
      await cannon("token endpoint, password grant", tokenUrl, post(password)),
      await cannon(
        "token endpoint, refresh_token grant",
        tokenUrl,
        post(tokenForm({ grant_type: "refresh_token", refresh_token: refreshToken })),
      ),
    ];
  } finally {
    await sandbox.close();
  }
}

/**
 * Measures the bare Hono route and the sandbox's token endpoint one after the other in one run, and
 * answers the table for BENCHMARKS.md: requests per second, p50/p99 latency, answers that were not 2xx
 * and connection errors, and each rate as a ratio of the bare route's.
 *
 * @throws when a server does not start or the sandbox's password grant fails.
 */
export async function sandboxThroughputTable(): Promise<string> {
  const baseline = await bareHono();
  const rows = [baseline, ...(await tokenEndpoint())];
  const number = (value: number) => Math.round(value).toLocaleString("en-US");
  return [
    `| route | requests/s | p50 ms | p99 ms | non-2xx | errors | ratio to bare Hono (goal ≥ ${goalRatio}) |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | :--- |",
    ...rows.map((row) => {
      const ratio = row.requestsPerSecond / baseline.requestsPerSecond;
      const verdict = row === baseline ? "" : ratio >= goalRatio ? " ✅" : " ❌ not yet";
      return `| ${row.name} | ${number(row.requestsPerSecond)} | ${row.p50} | ${row.p99} | ${row.non2xx} | ${row.errors} | ${ratio.toFixed(2)}${verdict} |`;
    }),
  ].join("\n");
}
