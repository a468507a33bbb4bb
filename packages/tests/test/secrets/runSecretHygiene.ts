import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createSandboxTestClient, startSandbox } from "@kontist-auth/sandbox";
import { startRedisIfNeeded } from "../../../token-store-redis/test/index";
import { runDemo, serverExampleFlows, startSandboxBinary } from "./appFlows";
import { authorizationCodeFlow } from "./browserFlows";
import { deviceFlow, expiryFlows, networkFaultFlows, pushFlows, wrongCredentialFlows } from "./clientFlows";
import { echoingServerFlows } from "./echoingServer";
import { type FailureOutcome, FlowRun, type HygieneContext, type HygieneTarget } from "./FlowRun";
import { type CaptureSize, OutputCapture } from "./OutputCapture";
import { pkcs11Flow } from "./pkcs11Flow";
import { type SecretFinding, type SecretKind, SecretLedger } from "./SecretLedger";
import { tokenStoreFlows } from "./storeFlows";

// The whole secret hygiene run: every flow against an in-process sandbox (its request log captured), the
// same against the `kontist-sandbox` binary (its stdout captured), the expiry flows and the server
// example against a sandbox whose tokens live a second, and the CLI demo, all at once; this process's
// console and stdout/stderr are captured meanwhile. Then every captured text is searched for every form
// of every secret value the run used.

/** What a run saw and found. */
export interface SecretHygieneReport {
  /** Lines and bytes of captured text, per source. */
  sizes: CaptureSize[];
  /** Distinct secret values searched for, per kind. */
  secrets: Record<SecretKind, number>;
  /** Distinct strings searched for (values and their parts and encodings). */
  forms: number;
  /** Every secret found in the captured text: must be none. */
  findings: SecretFinding[];
  /** Strings in the demo's output shaped like a token or key (its own secrets are not known here). */
  demoSuspects: string[];
  /** How each failing variant failed (its SDK error code). */
  outcomes: FailureOutcome[];
  /** Statuses the server example answered, and exit codes of the programs. */
  statuses: Record<string, number>;
  /** The client's events published on each `node:diagnostics_channel` channel during the run. */
  events: Record<string, number>;
  /** The texts searched, to check the search itself. */
  ledger: SecretLedger;
  durationMs: number;
}

/** Where captured text came from, by the source names the run gives it. */
export function sourceCategory(source: string): string {
  if (source.startsWith("test process")) return "console.* and stdout/stderr of the test process";
  if (source.startsWith("sandbox log")) return "sandbox request logs (`log` option)";
  if (source.startsWith("kontist-sandbox:")) return "`kontist-sandbox` binary: stdout, stderr";
  if (source.startsWith("demo:")) return "CLI demo (`pnpm demo`): stdout, stderr";
  if (source.startsWith("browser:")) return "browser: address bar and sandbox pages (login, MFA, logout)";
  if (source.startsWith("server-example")) return "server example: login script, server output, HTTP answers";
  if (source.startsWith("diagnostics_channel") || source.endsWith(": client event")) {
    return "the client's events: `onEvent` and `node:diagnostics_channel`";
  }
  return "errors, tokens, clients, signers, stores: String, JSON.stringify, util.inspect, cause chain";
}

/** The client's `node:diagnostics_channel` channels, one per event type; their messages are searched too. */
const eventChannels = [
  "renewal:started",
  "renewal:succeeded",
  "renewal:failed",
  "store:lockWaited",
  "request:unauthorizedRetried",
  "request:retried",
  "subscription:reconnected",
].map((type) => `kontist-auth:${type}`);

/** A JWT, or a run of base64url or hex long enough to be a token or key. */
const tokenShaped = /eyJ[\w-]{8,}\.[\w-]{8,}|[0-9a-fA-F]{40,}|[\w-]{40,}/g;

/** Runs every flow and program, then searches everything captured; see the file's comment. */
export async function runSecretHygiene(): Promise<SecretHygieneReport> {
  const started = Date.now();
  const capture = new OutputCapture();
  const ledger = new SecretLedger();
  const context: HygieneContext = { capture, ledger };
  const statuses: Record<string, number> = {};
  const runs: FlowRun[] = [];
  const unhook = capture.hookProcess("test process");
  const closing: (() => Promise<unknown>)[] = [];
  const events: Record<string, number> = {};
  const onEvent = (message: unknown, channel: string | symbol) => {
    const name = String(channel);
    events[name] = (events[name] ?? 0) + 1;
    capture.expose(`diagnostics_channel ${name}`, message);
  };
  for (const channel of eventChannels) subscribe(channel, onEvent);
  closing.push(async () => {
    for (const channel of eventChannels) unsubscribe(channel, onEvent);
  });
  try {
    const log = (source: string) => (line: string) => capture.add(source, line);
    const inProcess = await startSandbox({ port: 0, log: log("sandbox log (in process)") });
    closing.push(() => inProcess.close());
    const shortLived = await startSandbox({
      port: 0,
      accessTokenTtl: 1,
      log: log("sandbox log (1-second tokens)"),
    });
    closing.push(() => shortLived.close());
    const redis = await startRedisIfNeeded();
    closing.push(() => redis.stop());

    const flowsOn = (target: HygieneTarget) => {
      const run = new FlowRun(target, context);
      runs.push(run);
      return run;
    };
    const everyFlow = async (run: FlowRun) => {
      await deviceFlow(run);
      await pushFlows(run);
      await wrongCredentialFlows(run);
      await networkFaultFlows(run);
    };
    const demo = runDemo(context).then((code) => {
      statuses["demo (exit code)"] = code ?? -1;
    });
    const inProcessFlows = (async () => {
      const run = flowsOn({ name: "in-process", url: inProcess.url, test: inProcess.test });
      await everyFlow(run);
      await authorizationCodeFlow(run, context);
      await pkcs11Flow(run);
      await tokenStoreFlows(run, redis.url);
      await echoingServerFlows(
        flowsOn({ name: "careless server", url: inProcess.url, test: inProcess.test }),
      );
    })();
    const binaryFlows = (async () => {
      const binary = await startSandboxBinary(context);
      closing.push(async () => {
        statuses["kontist-sandbox, SIGTERM (exit code)"] = (await binary.stop()) ?? -1;
      });
      await everyFlow(
        flowsOn({ name: "binary", url: binary.url, test: createSandboxTestClient(binary.url) }),
      );
    })();
    const shortLivedFlows = (async () => {
      const target = { name: "1-second tokens", url: shortLived.url, test: shortLived.test };
      await expiryFlows(flowsOn(target), 1);
      Object.assign(statuses, await serverExampleFlows(target, redis, context));
    })();
    const settled = await Promise.allSettled([demo, inProcessFlows, binaryFlows, shortLivedFlows]);
    for (const run of runs) await run.harvest();
    const failed = settled.find((outcome) => outcome.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  } finally {
    for (const close of closing.reverse()) await close();
    unhook();
  }

  const forms = ledger.forms();
  const entries = capture.entries();
  const findings = entries.flatMap(({ source, text }) => ledger.search(source, text, forms));
  const demoOutput = entries.filter(({ source }) => source.startsWith("demo:")).map(({ text }) => text);
  return {
    sizes: capture.sizes(),
    secrets: ledger.counts(),
    forms: forms.length,
    findings,
    demoSuspects: demoOutput.flatMap((text) => text.match(tokenShaped) ?? []),
    outcomes: runs.flatMap((run) =>
      run.outcomes.map((outcome) => ({ ...outcome, flow: `${run.target.name}: ${outcome.flow}` })),
    ),
    statuses,
    events,
    ledger,
    durationMs: Date.now() - started,
  };
}
