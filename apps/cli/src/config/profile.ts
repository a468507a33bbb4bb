import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { CliError, exitCodes } from "../errors";

/** Where a bound device's private key lives; never the key itself (a software key is in its own file). */
export type SignerSpec =
  | { kind: "software" }
  | { kind: "keychain"; service: string; account: string }
  | { kind: "pkcs11"; module: string; tokenLabel: string; keyLabel: string };

/** What the CLI remembers of an account between runs (`profile.json`, mode 0600). */
export interface Profile {
  /** The API's base URL the account lives on. */
  baseUrl: string;
  /** The OAuth2 client the tokens were issued to. */
  clientId: string;
  /** Its secret, for a confidential client (refreshes need it); absent for a public client. */
  clientSecret?: string | undefined;
  /** The scopes asked for at login. */
  scopes: string[];
  /** The e-mail the user logged in with, when known (not with `--browser`). */
  username?: string | undefined;
  /** The device bound from this profile, and where its key is. */
  device?: { id: string; name: string; signer: SignerSpec } | undefined;
}

/** The files of one profile, in `<config>/profiles/<name>/`. */
export interface ProfilePaths {
  dir: string;
  profile: string;
  tokens: string;
  softwareKey: string;
}

const profileNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The paths of profile `name` under `root`.
 *
 * @throws {CliError} `USAGE` when the name is not 1–64 letters, digits, `.`, `_` or `-` (it names a folder).
 */
export function profilePaths(root: string, name: string): ProfilePaths {
  if (!profileNamePattern.test(name)) {
    throw new CliError(
      "USAGE",
      `Profile names are 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit; got ${JSON.stringify(name)}.`,
      exitCodes.usage,
    );
  }
  const dir = join(root, "profiles", name);
  return {
    dir,
    profile: join(dir, "profile.json"),
    tokens: join(dir, "tokens.json"),
    softwareKey: join(dir, "device-key.json"),
  };
}

/**
 * Reads a profile, or `undefined` when there is none yet.
 *
 * @throws {CliError} `PROFILE_CORRUPT` when the file is not a profile this CLI wrote.
 */
export async function readProfile(paths: ProfilePaths): Promise<Profile | undefined> {
  const text = await readPrivateFile(paths.profile);
  if (text === undefined) return undefined;
  const profile = parseJson(text, paths.profile) as Partial<Profile> | null;
  if (
    typeof profile !== "object" ||
    profile === null ||
    typeof profile.baseUrl !== "string" ||
    typeof profile.clientId !== "string" ||
    !Array.isArray(profile.scopes)
  ) {
    throw new CliError("PROFILE_CORRUPT", `${paths.profile} is not a kontist-auth profile.`);
  }
  return profile as Profile;
}

/** Writes a profile atomically (a temporary file renamed over it), mode 0600, in a 0700 folder. */
export async function writeProfile(paths: ProfilePaths, profile: Profile): Promise<void> {
  await writePrivateFile(paths.profile, `${JSON.stringify(profile, null, 2)}\n`);
}

/** Deletes a profile's folder: its settings, tokens and software key. */
export async function deleteProfile(paths: ProfilePaths): Promise<void> {
  await rm(paths.dir, { recursive: true, force: true });
}

/**
 * Reads a file the CLI keeps private, or `undefined` when it does not exist.
 *
 * @throws {CliError} `CONFIG_INSECURE` when others may read or write it (it may hold a secret).
 */
export async function readPrivateFile(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const { mode } = await handle.stat();
    if (process.platform !== "win32" && (mode & 0o077) !== 0) {
      throw new CliError(
        "CONFIG_INSECURE",
        `${path} may be read by others (mode ${(mode & 0o777).toString(8)}); make it 0600 (chmod 600) and try again.`,
      );
    }
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

/** Writes a private file atomically: mode 0600, in a folder made 0700, renamed into place after fsync. */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const dir = join(path, "..");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = join(dir, `.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Parses JSON a file holds, or throws a `CliError` naming the file (never its content). */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError("PROFILE_CORRUPT", `${path} is not valid JSON.`);
  }
}
