import { type ChildProcessWithoutNullStreams, execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep } from "@kontist-auth/protocol";

// A real Secret Service for the keychain tests, no mocks. If the session bus in the environment already
// has a usable one (a desktop, CI under `dbus-run-session` + `gnome-keyring-daemon --unlock`), it is used;
// otherwise a private D-Bus daemon and a GNOME Keyring with a throwaway, unlocked keyring in a temp folder
// are started, and `process.env.DBUS_SESSION_BUS_ADDRESS` points at them (worker processes started later
// inherit it). Missing programs fail loudly, in CI and locally: these tests are never skipped.

/** A Secret Service the tests can use. */
export interface SecretServiceSession {
  /** The D-Bus session bus address, also in `process.env.DBUS_SESSION_BUS_ADDRESS` (empty off Linux). */
  readonly address: string;
  /** Whether this call started a private D-Bus daemon and GNOME Keyring, which `stop()` ends. */
  readonly started: boolean;
  /** Ends what was started and restores the environment; nothing for a session that was already there. */
  stop(): Promise<void>;
}

const probeTimeoutMs = 10_000;
const startTimeoutMs = 15_000;

/**
 * Makes sure a usable Secret Service is on the session bus of this process, starting a private one when
 * there is none. Idempotent: a second call finds the first one's service and starts nothing.
 *
 * @throws {Error} when dbus-daemon or gnome-keyring-daemon is missing or the service does not come up.
 */
export async function ensureSecretService(): Promise<SecretServiceSession> {
  // macOS Keychain and Windows Credential Manager are always there.
  if (process.platform !== "linux") return { address: "", started: false, stop: async () => {} };

  const existing = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (existing !== undefined && existing !== "" && (await probeSecretService(existing)) === undefined) {
    return { address: existing, started: false, stop: async () => {} };
  }
  return startPrivateSecretService(existing);
}

/**
 * Stores, reads and deletes a probe credential through `@napi-rs/keyring` in a child process (the
 * binding's libdbus caches the first bus address it sees, so probing in this process would pin it).
 * Resolves `undefined` when that works, otherwise the reason.
 */
export async function probeSecretService(address: string): Promise<string | undefined> {
  const script = `
    const { AsyncEntry } = require(process.env.KEYRING_MODULE);
    (async () => {
      const entry = new AsyncEntry("kontist-auth-probe", "probe-" + process.pid, { linux: { store: "secret-service" } });
      await entry.setSecret(Uint8Array.of(42));
      const back = await entry.getSecret();
      await entry.deleteCredential();
      if (back === null || back.length !== 1 || back[0] !== 42) throw new Error("read back a different value");
    })().then(() => process.exit(0), (error) => { console.error(error.message); process.exit(1); });`;
  const keyringModule = createRequire(import.meta.url).resolve("@napi-rs/keyring");
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-e", script],
      {
        env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, KEYRING_MODULE: keyringModule },
        timeout: probeTimeoutMs,
      },
      (error, _stdout, stderr) => {
        if (error === null) resolve(undefined);
        else
          resolve(stderr.trim() || (error.killed ? `timed out after ${probeTimeoutMs} ms` : error.message));
      },
    );
  });
}

async function startPrivateSecretService(previous: string | undefined): Promise<SecretServiceSession> {
  const session = await startPrivateSession({ keyring: true });
  process.env.DBUS_SESSION_BUS_ADDRESS = session.address;
  return {
    address: session.address,
    started: true,
    async stop() {
      await session.stop();
      if (process.env.DBUS_SESSION_BUS_ADDRESS === session.address) {
        if (previous === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
        else process.env.DBUS_SESSION_BUS_ADDRESS = previous;
      }
    },
  };
}

/**
 * Starts a private D-Bus session bus with no Secret Service on it (what a headless Linux machine with
 * D-Bus but no keyring looks like), without touching `process.env`.
 */
export function startBusWithoutSecretService(): Promise<{ address: string; stop(): Promise<void> }> {
  return startPrivateSession({ keyring: false });
}

/**
 * A private session bus under `dbus-run-session` (the project's documented recipe), optionally with a
 * GNOME Keyring whose throwaway, unlocked keyring lives in a temp folder. The session is kept alive by our
 * stdin: when it closes (stop(), or this process dying) `cat` ends, dbus-run-session ends the bus, and
 * gnome-keyring-daemon exits with it, so nothing is left running.
 */
async function startPrivateSession(options: { keyring: boolean }) {
  requireProgram("dbus-run-session");
  if (options.keyring) requireProgram("gnome-keyring-daemon");

  const dir = await mkdtemp(join(tmpdir(), "kontist-auth-keyring-"));
  const log = join(dir, "gnome-keyring.log");
  const data = join(dir, "data");
  const runtime = join(dir, "run");
  await mkdir(data, { mode: 0o700 });
  await mkdir(runtime, { mode: 0o700 });
  // A bus with no service activation, so nothing but our keyring can answer for org.freedesktop.secrets
  // (activation would start a second, locked keyring in the user's home).
  const config = join(dir, "session.conf");
  await writeFile(config, busConfig(`unix:dir=${dir}`));

  // stdin's first line is the password of the throwaway keyring.
  const script = [
    "read -r password",
    ...(options.keyring
      ? [
          `printf %s "$password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>>"$KEYRING_LOG"`,
        ]
      : []),
    `echo "$DBUS_SESSION_BUS_ADDRESS"`,
    "exec cat >/dev/null",
  ].join("\n");
  const session = spawn("dbus-run-session", [`--config-file=${config}`, "--", "sh", "-c", script], {
    env: { ...process.env, XDG_DATA_HOME: data, XDG_RUNTIME_DIR: runtime, KEYRING_LOG: log },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  session.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  session.stdin.write(`${randomBytes(16).toString("hex")}\n`);
  const exited = once(session, "exit");

  const stop = async () => {
    if (session.exitCode === null && session.signalCode === null) {
      session.stdin.end();
      const timer = setTimeout(() => session.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  };

  try {
    const address = await firstLine(session, startTimeoutMs);
    if (options.keyring) {
      const deadline = Date.now() + startTimeoutMs;
      let reason = await probeSecretService(address);
      while (reason !== undefined && Date.now() < deadline && session.exitCode === null) {
        await sleep(100);
        reason = await probeSecretService(address);
      }
      if (reason !== undefined) throw new Error(`it does not answer as a Secret Service: ${reason}`);
    }
    return { address, stop };
  } catch (error) {
    const keyringLog = await readFile(log, "utf8").catch(() => "");
    await stop();
    throw new Error(
      `The private D-Bus session${options.keyring ? " with GNOME Keyring" : ""} did not come up ` +
        `(${(error as Error).message}). dbus-run-session said: ${stderr.trim() || "(nothing)"}; ` +
        `gnome-keyring-daemon said: ${keyringLog.trim() || "(nothing)"}`,
      { cause: error },
    );
  }
}

/** A session bus configuration: `listen` only, no service directories (so no activation). */
function busConfig(listen: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>${listen}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

/** Fails clearly when `program` is not installed: these tests are never skipped for lack of it. */
function requireProgram(program: string): void {
  const result = spawnSync(program, ["--version"], { stdio: "ignore" });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    throw new Error(
      `The keychain tests need a real Secret Service, but \`${program}\` is not installed. Install the ` +
        "Debian packages gnome-keyring and dbus (`bash scripts/install-system-deps.sh`, which `pnpm test` " +
        "runs), or run the tests in a D-Bus session that already has an unlocked keyring.",
    );
  }
}

/** The first line `child` prints on stdout. */
function firstLine(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => done(new Error(`no bus address after ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf("\n");
      if (end !== -1) done(undefined, buffered.slice(0, end).trim());
    };
    const onExit = () => done(new Error("dbus-run-session exited before printing the bus address"));
    function done(error: Error | undefined, line = "") {
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.off("exit", onExit);
      if (error === undefined && line !== "") resolve(line);
      else reject(error ?? new Error("dbus-run-session printed an empty bus address"));
    }
    child.stdout.setEncoding("utf8").on("data", onData);
    child.once("exit", onExit);
  });
}
