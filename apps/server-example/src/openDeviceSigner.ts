import type { BindDeviceOptions } from "@kontist-auth/client";
import { createKeychainSigner } from "@kontist-auth/crypto-keychain";
import { createPkcs11Signer } from "@kontist-auth/crypto-pkcs11";
import type { DeviceKeyConfig } from "./readDeviceKeyConfig";

/** The server's device key, opened by {@link openDeviceSigner}. */
export interface DeviceSigner {
  /** Signs inside the token (PKCS#11) or in process with the key from the OS keychain. */
  signer: BindDeviceOptions["signer"];
  /** Where the key lives, for messages: `PKCS#11 token "kontist", key "kontist-device"`. */
  location: string;
  /** Closes the token session (PKCS#11); the key stays where it is. */
  close(): Promise<void>;
}

/**
 * Opens the server's device key where `config.key` says. In a PKCS#11 token the key pair is generated
 * inside the token on first use (never extractable) and found by its label afterwards; with a
 * `deviceId` (a key bound before) a missing key is an error rather than a new key. In the OS keychain
 * the key is created on first use and loaded afterwards.
 *
 * @throws the signer package's errors, each with a `code`: e.g. `PKCS11_MODULE_LOAD_FAILED`,
 *   `PKCS11_TOKEN_NOT_FOUND`, `PKCS11_LOGIN_FAILED` (wrong PIN), `PKCS11_KEY_NOT_FOUND`,
 *   `KEYCHAIN_UNAVAILABLE` (no credential store, e.g. a Linux server without a Secret Service).
 *   No message holds the PIN or key material.
 *
 * @example
 * const device = await openDeviceSigner(readDeviceKeyConfig(process.env)!);
 * try {
 *   await client.auth.device.confirm({ signer: device.signer, deviceId });
 * } finally {
 *   await device.close();
 * }
 */
export async function openDeviceSigner(config: DeviceKeyConfig): Promise<DeviceSigner> {
  const { key } = config;
  if (key.signer === "pkcs11") {
    const signer = await createPkcs11Signer({
      module: key.module,
      tokenLabel: key.tokenLabel,
      pin: key.pin,
      keyLabel: key.keyLabel,
      createIfMissing: config.deviceId === undefined,
    });
    return {
      signer,
      location: `PKCS#11 token ${JSON.stringify(key.tokenLabel)}, key ${JSON.stringify(key.keyLabel)}`,
      close: () => signer.close(),
    };
  }
  const signer = await createKeychainSigner({ service: key.service, account: key.account });
  return {
    signer,
    location: `OS keychain, service ${JSON.stringify(key.service)}, account ${JSON.stringify(key.account)}`,
    close: async () => {},
  };
}
