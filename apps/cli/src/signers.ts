import { rm } from "node:fs/promises";
import { createSoftwareSigner, type P256Signer } from "@kontist-auth/crypto";
import type { Context } from "./Context";
import { parseJson, readPrivateFile, type SignerSpec, writePrivateFile } from "./config/profile";
import { CliError, exitCodes } from "./errors";

/** A signer the CLI opened, and how to let go of it (a PKCS#11 session must be closed). */
export interface OpenSigner {
  signer: P256Signer;
  close(): Promise<void>;
}

/** Which signer `device bind` uses without `--signer`: the OS keychain on a desktop, else a software key. */
export function defaultSignerKind(env: NodeJS.ProcessEnv = process.env): SignerSpec["kind"] {
  const desktop =
    process.platform === "darwin" ||
    process.platform === "win32" ||
    (env.DBUS_SESSION_BUS_ADDRESS !== undefined && env.DBUS_SESSION_BUS_ADDRESS !== "");
  return desktop ? "keychain" : "software";
}

/** Options naming a PKCS#11 token, from the command line or `KONTIST_PKCS11_MODULE` / `_TOKEN`. */
export interface Pkcs11Choice {
  pkcs11Module?: string | undefined;
  pkcs11Token?: string | undefined;
}

/**
 * Where a new device's key will live, for profile `profileName`.
 *
 * @throws {CliError} `USAGE` for an unknown kind, or PKCS#11 without a module or token label.
 */
export function newSignerSpec(context: Context, kind: string, choice: Pkcs11Choice): SignerSpec {
  switch (kind) {
    case "software":
      return { kind };
    case "keychain":
      return { kind, service: "kontist-auth", account: `device-key/${context.profileName}` };
    case "pkcs11": {
      const module = choice.pkcs11Module ?? context.env("KONTIST_PKCS11_MODULE");
      const tokenLabel = choice.pkcs11Token ?? context.env("KONTIST_PKCS11_TOKEN");
      if (module === undefined || tokenLabel === undefined) {
        throw new CliError(
          "USAGE",
          "--signer pkcs11 needs --pkcs11-module (or KONTIST_PKCS11_MODULE) and --pkcs11-token (or KONTIST_PKCS11_TOKEN).",
          exitCodes.usage,
        );
      }
      return { kind, module, tokenLabel, keyLabel: `kontist-auth-${context.profileName}` };
    }
    default:
      throw new CliError(
        "USAGE",
        `Unknown signer "${kind}": use keychain, pkcs11 or software.`,
        exitCodes.usage,
      );
  }
}

/**
 * Opens the signer a spec names. With `create`, a new key is made (an old one in the same place is
 * replaced); without, the existing key is used and its absence is an error.
 *
 * @throws {CliError} `SIGNER_UNAVAILABLE` when the signer's package is not installed, `NO_DEVICE_KEY`
 *   (exit 3) when the key is missing; the signer packages' errors (`KEYCHAIN_UNAVAILABLE`,
 *   `PKCS11_LOGIN_FAILED`, …).
 */
export async function openSigner(context: Context, spec: SignerSpec, create: boolean): Promise<OpenSigner> {
  switch (spec.kind) {
    case "software":
      return { signer: await softwareSigner(context, create), close: async () => {} };
    case "keychain": {
      const keychain = await importSignerPackage("keychain", () => import("@kontist-auth/crypto-keychain"));
      const location = { service: spec.service, account: spec.account };
      if (create) await keychain.deleteKeychainKey(location);
      const signer = await keychain.createKeychainSigner(location);
      return { signer, close: async () => {} };
    }
    case "pkcs11": {
      const pkcs11 = await importSignerPackage("pkcs11", () => import("@kontist-auth/crypto-pkcs11"));
      const pin =
        context.env("KONTIST_PKCS11_PIN") ??
        (await context.terminal.secret(`PIN of token "${spec.tokenLabel}"`));
      const options = { module: spec.module, tokenLabel: spec.tokenLabel, keyLabel: spec.keyLabel, pin };
      if (create) {
        const old = await pkcs11
          .createPkcs11Signer({ ...options, createIfMissing: false })
          .catch(() => undefined);
        await old?.deleteKey();
      }
      const signer = await pkcs11.createPkcs11Signer({ ...options, createIfMissing: create });
      return { signer, close: () => signer.close() };
    }
  }
}

/** Deletes the key a spec names, when the CLI made it (the device is gone). */
export async function deleteSignerKey(context: Context, spec: SignerSpec): Promise<void> {
  if (spec.kind === "software") {
    await rm(context.paths.softwareKey, { force: true });
  } else if (spec.kind === "keychain") {
    const keychain = await importSignerPackage("keychain", () => import("@kontist-auth/crypto-keychain"));
    await keychain.deleteKeychainKey({ service: spec.service, account: spec.account });
  } else {
    const { signer } = await openSigner(context, spec, false);
    await (signer as import("@kontist-auth/crypto-pkcs11").Pkcs11Signer).deleteKey();
  }
}

/** Where a software key is, for messages: the file, which only this user may read. */
export function describeSignerSpec(context: Context, spec: SignerSpec): string {
  switch (spec.kind) {
    case "software":
      return `a software key in ${context.paths.softwareKey} (mode 0600: anyone who can read it can act as this device)`;
    case "keychain":
      return `a key in the OS keychain (service "${spec.service}", account "${spec.account}")`;
    case "pkcs11":
      return `a key inside PKCS#11 token "${spec.tokenLabel}" (label "${spec.keyLabel}"; it never leaves the token)`;
  }
}

async function softwareSigner(context: Context, create: boolean): Promise<P256Signer> {
  const path = context.paths.softwareKey;
  if (create) {
    const signer = createSoftwareSigner();
    const secretKey = Buffer.from(signer.exportSecretKey()).toString("base64");
    await writePrivateFile(path, `${JSON.stringify({ kind: "p256-secret-key", secretKey })}\n`);
    return signer;
  }
  const text = await readPrivateFile(path);
  if (text === undefined) {
    throw new CliError(
      "NO_DEVICE_KEY",
      `The device key ${path} is missing; bind again with \`kontist-auth device bind\`.`,
      exitCodes.notLoggedIn,
    );
  }
  const { secretKey } = parseJson(text, path) as { secretKey?: unknown };
  if (typeof secretKey !== "string") throw new CliError("PROFILE_CORRUPT", `${path} holds no key.`);
  return createSoftwareSigner({ secretKey: new Uint8Array(Buffer.from(secretKey, "base64")) });
}

async function importSignerPackage<T>(kind: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw error;
    throw new CliError(
      "SIGNER_UNAVAILABLE",
      `The ${kind} signer is not installed: npm install @kontist-auth/crypto-${kind}.`,
    );
  }
}
