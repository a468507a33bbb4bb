import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

// A real SoftHSM2 token in a temp folder, for tests. There is no skip: without SoftHSM2 the tests fail,
// locally and in CI, with a message that says how to install it.

const run = promisify(execFile);

/** Where distributions put SoftHSM2's PKCS#11 library; `SOFTHSM2_MODULE` overrides. */
const moduleCandidates = [
  "/usr/lib/softhsm/libsofthsm2.so", // Debian, Ubuntu
  "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
  "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
  "/usr/lib64/pkcs11/libsofthsm2.so", // Fedora, RHEL
  "/usr/local/lib/softhsm/libsofthsm2.so", // built from source, Homebrew on Intel
  "/opt/homebrew/lib/softhsm/libsofthsm2.so", // Homebrew on Apple silicon
];

const installHint =
  "SoftHSM2 is required by the PKCS#11 tests and is not installed: `sudo apt-get install softhsm2` " +
  "(Debian/Ubuntu), `dnf install softhsm` (Fedora) or `brew install softhsm` (macOS); set " +
  "SOFTHSM2_MODULE if its library is elsewhere.";

/** An initialised SoftHSM2 token in its own folder. */
export interface SoftHsmToken {
  /** Path of the PKCS#11 library. */
  module: string;
  tokenLabel: string;
  /** The user PIN. */
  pin: string;
  /** The security officer's PIN. */
  soPin: string;
  /** The temp folder holding `softhsm2.conf` and the token files. */
  directory: string;
  /** Deletes the folder and restores `SOFTHSM2_CONF`. Close every signer first. */
  remove(): Promise<void>;
}

/** Options of {@link createSoftHsmToken}. */
export interface SoftHsmTokenOptions {
  /** Default `kontist-test`. */
  tokenLabel?: string;
  /** Default `1234`. */
  pin?: string;
  /** Default `5678`. */
  soPin?: string;
}

/** The path of SoftHSM2's PKCS#11 library. @throws {Error} when SoftHSM2 is not installed. */
export function softHsmModule(): string {
  const override = process.env.SOFTHSM2_MODULE;
  if (override !== undefined && override !== "") {
    if (!existsSync(override)) throw new Error(`SOFTHSM2_MODULE=${override} does not exist. ${installHint}`);
    return override;
  }
  const found = moduleCandidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error(installHint);
  return found;
}

/**
 * Creates a temp folder with a `softhsm2.conf` whose token directory is inside it, points
 * `SOFTHSM2_CONF` at it (SoftHSM2 reads it at `C_Initialize`, so call this before any signer loads the
 * module), and initialises a token in the first free slot with `softhsm2-util --init-token --free`.
 *
 * @throws {Error} when SoftHSM2 is not installed or the token cannot be initialised; never skips.
 */
export async function createSoftHsmToken(options: SoftHsmTokenOptions = {}): Promise<SoftHsmToken> {
  const { tokenLabel = "kontist-test", pin = "1234", soPin = "5678" } = options;
  const module = softHsmModule();
  const directory = await mkdtemp(join(tmpdir(), "kontist-softhsm-"));
  const previousConf = process.env.SOFTHSM2_CONF;
  const remove = async () => {
    if (previousConf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = previousConf;
    await rm(directory, { recursive: true, force: true });
  };

  try {
    const tokens = join(directory, "tokens");
    await mkdir(tokens);
    const conf = join(directory, "softhsm2.conf");
    await writeFile(
      conf,
      `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
    );
    process.env.SOFTHSM2_CONF = conf;
    await initToken({ tokenLabel, pin, soPin });
  } catch (error) {
    await remove();
    throw error;
  }
  return { module, tokenLabel, pin, soPin, directory, remove };
}

async function initToken(token: { tokenLabel: string; pin: string; soPin: string }): Promise<void> {
  const args = [
    "--init-token",
    "--free",
    "--label",
    token.tokenLabel,
    "--pin",
    token.pin,
    "--so-pin",
    token.soPin,
  ];
  try {
    await run("softhsm2-util", args, { env: process.env });
  } catch (error) {
    const { code, stderr } = error as { code?: unknown; stderr?: string };
    if (code === "ENOENT") throw new Error(`softhsm2-util was not found on PATH. ${installHint}`);
    throw new Error(`softhsm2-util --init-token failed: ${stderr?.trim() || String(error)}`);
  }
}
