import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { describe, expect, it } from "vitest";
import { KeychainError, KeychainKeyDeletedError, KeychainUnavailableError } from "../errors";
import { toKeychainError } from "./toKeychainError";

// The binding reports everything as code "GenericFailure"; these are the messages keyring-rs 4 produces.
const location = { service: "com.example", account: "device" };
const nativeError = (message: string) => Object.assign(new Error(message), { code: "GenericFailure" });

describe("toKeychainError", () => {
  it.each([
    "Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead",
    "Platform failure: DBus error: Failed to connect to socket /nonexistent: No such file or directory",
    "Couldn't access platform storage: Secret Service: unlock prompt was dismissed",
    "Couldn't access platform storage: AccessDenied",
  ])("no usable store → KEYCHAIN_UNAVAILABLE: %s", (message) => {
    const cause = nativeError(message);
    const error = toKeychainError(cause, location, "read");
    expect(error).toBeInstanceOf(KeychainUnavailableError);
    expect(isKontistAuthError(error, "KEYCHAIN_UNAVAILABLE")).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('service "com.example", account "device"');
    expect(error.message).toContain(message);
  });

  it("on Linux the message says how to provide a Secret Service", () => {
    const error = toKeychainError(nativeError("Platform failure: no bus"), location, "open");
    if (process.platform === "linux") expect(error.message).toContain("gnome-keyring-daemon --unlock");
  });

  it("several matching credentials → KEYCHAIN_FAILED, without listing them", () => {
    const error = toKeychainError(
      nativeError("Entry is matched by 2 credentials: [secret item /org/freedesktop/secrets/1, …]"),
      location,
      "read",
    );
    expect(error).toBeInstanceOf(KeychainError);
    expect(error.code).toBe("KEYCHAIN_FAILED");
    expect(error.message).not.toContain("/org/freedesktop");
  });

  it("anything else → KEYCHAIN_FAILED with the platform's reason", () => {
    const error = toKeychainError(nativeError("Attribute 'service' is invalid: empty"), location, "store");
    expect(error.code).toBe("KEYCHAIN_FAILED");
    expect(error.message).toContain("failed to store");
    expect(toKeychainError("a string", location, "delete").code).toBe("KEYCHAIN_FAILED");
  });

  it("passes SDK errors through unchanged", () => {
    const deleted = new KeychainKeyDeletedError("gone");
    expect(toKeychainError(deleted, location, "read")).toBe(deleted);
  });
});
