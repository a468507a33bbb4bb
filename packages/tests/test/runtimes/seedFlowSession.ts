import { randomInt, randomUUID } from "node:crypto";
import { createWebCryptoSigner } from "@kontist-auth/crypto";
import { asUser, loggedIn, type Sandbox, startSandbox } from "../sandboxSupport";
import { installPackedPackages, type PackedProject } from "./packedProject";
import { buildSeedFlowApp, type SeedFlowApp } from "./seedFlowApp";
import { type PlayedUser, startUserServer, type UserServer } from "./userServer";

// Everything the seed flow needs before a runtime runs it: the packed packages installed in a scratch
// project with the app built there, a sandbox in this process with a user of its own per runtime (so
// each runtime's SMS, devices and IBAN are its own), and the user server that plays those users.

/** What the app imports; their workspace dependencies (protocol, token-store) are packed with them. */
export const seedFlowPackages = ["@kontist-auth/client", "@kontist-auth/crypto"] as const;

/**
 * A valid German IBAN with a random account number (ISO 13616 check digits: 98 − (BBAN ‖ "DE" as 1314 ‖
 * "00") mod 97), so that what a runtime reads comes from this run's seeds.
 */
function randomIban(): string {
  const bban = `11010100${String(randomInt(1e10)).padStart(10, "0")}`;
  return `DE${String(98n - (BigInt(`${bban}131400`) % 97n)).padStart(2, "0")}${bban}`;
}

/** The user `warmUp` runs the flow as. */
const warmUpUser = "warm-up";

/** A user of their own for runtime `name`: a fresh id, password and IBAN, and the `index`th mobile number. */
function playedUser(name: string, index: number): PlayedUser {
  return {
    name,
    id: randomUUID(),
    email: `${name}@runtimes.example.com`,
    password: randomUUID(),
    mobileNumber: `+49151200000${String(index).padStart(2, "0")}`,
    iban: randomIban(),
  };
}

/** The seed flow in this process, as `user`; resolves once it reached the IBAN. */
async function runSeedFlowHere(sandbox: Sandbox, user: PlayedUser): Promise<void> {
  const client = await loggedIn(sandbox, { username: user.email, password: user.password });
  const signer = await createWebCryptoSigner();
  const { deviceId } = await client.auth.device.bind({ signer, name: "warm-up", ...asUser(sandbox) });
  await client.auth.device.confirm({ signer, deviceId });
  await client.auth.tokenManager.refresh();
  await client.graphQL.rawQuery("{ viewer { mainAccount { iban } } }");
}

/** A running seed-flow setup; `close` stops it and deletes the scratch folder. */
export interface SeedFlowSession {
  readonly packed: PackedProject;
  readonly app: SeedFlowApp;
  readonly sandbox: Sandbox;
  readonly userServer: UserServer;
  /** The user of each runtime, by runtime name. */
  readonly users: ReadonlyMap<string, PlayedUser>;
  /** Where the app in runtime `name` finds its user (the URL it is given). */
  userUrl(name: string): string;
  /**
   * Runs the seed flow once in this process (the workspace's client, as a user of its own), so the
   * sandbox's code is warm before a runtime is timed: otherwise the first runtime pays for it.
   */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Packs and installs the packages, builds the app, and starts a sandbox with one user per runtime of
 * `names` (a fresh id, password and IBAN each) and the user server, all on loopback.
 *
 * @throws {Error} when packing, installing or building fails (see `installPackedPackages`); nothing is
 *   left running then.
 */
export async function startSeedFlowSession(names: readonly string[]): Promise<SeedFlowSession> {
  const warmUpAs = playedUser(warmUpUser, 0);
  const users = names.map((name, index) => playedUser(name, index + 1));
  const everyone = [warmUpAs, ...users];
  const [packed, sandbox] = await Promise.allSettled([
    installPackedPackages(seedFlowPackages, "kontist-auth-runtimes-"),
    startSandbox({ port: 0, users: everyone }),
  ]);
  if (packed.status === "rejected" || sandbox.status === "rejected") {
    if (packed.status === "fulfilled") await packed.value.remove();
    if (sandbox.status === "fulfilled") await sandbox.value.close();
    throw packed.status === "rejected" ? packed.reason : (sandbox as PromiseRejectedResult).reason;
  }
  let userServer: UserServer | undefined;
  try {
    const app = await buildSeedFlowApp(packed.value.project);
    userServer = await startUserServer(sandbox.value, everyone);
    const server = userServer;
    return {
      packed: packed.value,
      app,
      sandbox: sandbox.value,
      userServer,
      users: new Map(users.map((user) => [user.name, user])),
      userUrl: (name) => `${server.url}/${name}`,
      warmUp: () => runSeedFlowHere(sandbox.value, warmUpAs),
      close: async () => {
        await Promise.allSettled([server.close(), sandbox.value.close()]);
        await packed.value.remove();
      },
    };
  } catch (error) {
    await Promise.allSettled([userServer?.close(), sandbox.value.close(), packed.value.remove()]);
    throw error;
  }
}
