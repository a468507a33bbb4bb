import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { AsyncEntry } from "@napi-rs/keyring";
import type { KeychainSignerOptions } from "../src/KeychainSignerOptions";

// Direct access to the OS credential store for tests, past the signer: to see what it stored, to plant
// wrong values, and to clean up. Every location comes from `newKeyLocation`, a unique service per call,
// so runs never meet each other's keys (nor a developer's own).

const created: KeychainSignerOptions[] = [];

/** A fresh service + account no other test or run uses; `deleteTestKeys` removes whatever ends up there. */
export function newKeyLocation(account = "device-key"): KeychainSignerOptions {
  const location = { service: `kontist-auth-test-${randomUUID()}`, account };
  created.push(location);
  return location;
}

/**
 * Deletes the credentials of every location handed out so far, one at a time (GNOME Keyring has been seen
 * to drop off the bus under a burst of parallel deletes from one process).
 */
export async function deleteTestKeys(): Promise<void> {
  for (const location of created.splice(0)) await entryAt(location).deleteCredential();
}

function entryAt({ service, account }: KeychainSignerOptions): AsyncEntry {
  return new AsyncEntry(service, account, { linux: { store: "secret-service" } });
}

/** The bytes stored at `location` (read with the binding, not with the signer), or `null`. */
export async function readStoredBytes(location: KeychainSignerOptions): Promise<Uint8Array | null> {
  const stored = await entryAt(location).getSecret();
  return stored === null ? null : Uint8Array.from(stored);
}

/** Stores `value` at `location` (bytes as a secret, a string as a password), as another program might. */
export async function plantStoredValue(
  location: KeychainSignerOptions,
  value: Uint8Array | string,
): Promise<void> {
  const entry = entryAt(location);
  if (typeof value === "string") await entry.setPassword(value);
  else await entry.setSecret(value);
}

/**
 * The Secret Service items whose attributes are `service` and `username` of `location`, asked over D-Bus
 * with `dbus-send` (part of the dbus package), a client independent of the binding under test.
 * Commas are not allowed in the names (dbus-send's dictionary syntax).
 */
export function secretServiceItems(location: KeychainSignerOptions): string[] {
  const reply = execFileSync(
    "dbus-send",
    [
      "--session",
      "--print-reply",
      "--dest=org.freedesktop.secrets",
      "/org/freedesktop/secrets",
      "org.freedesktop.Secret.Service.SearchItems",
      `dict:string:string:service,${location.service},username,${location.account}`,
    ],
    { encoding: "utf8" },
  );
  return [...reply.matchAll(/object path "([^"]+)"/g)].map((match) => match[1] ?? "");
}
