/** Where the server's device key lives: a key pair inside a PKCS#11 token (an HSM; SoftHSM2 to try it). */
export interface Pkcs11KeyConfig {
  signer: "pkcs11";
  /** `PKCS11_MODULE` (required): the vendor's PKCS#11 library, e.g. `/usr/lib/softhsm/libsofthsm2.so`. */
  module: string;
  /** `PKCS11_TOKEN_LABEL` (required): the token's label, as `softhsm2-util --show-slots` prints it. */
  tokenLabel: string;
  /** `PKCS11_PIN` (required): the token's user PIN. Never log this object. */
  pin: string;
  /** `PKCS11_KEY_LABEL`, default `kontist-device`: the key pair's `CKA_LABEL`. */
  keyLabel: string;
}

/** Where the server's device key lives: the OS credential store (macOS Keychain, Secret Service, …). */
export interface KeychainKeyConfig {
  signer: "keychain";
  /** `KEYCHAIN_SERVICE`, default `kontist-auth-server-example`. */
  service: string;
  /** `KEYCHAIN_ACCOUNT`, default `device-key`. */
  account: string;
}

/** The server's Kontist device, read from the environment by {@link readDeviceKeyConfig}. */
export interface DeviceKeyConfig {
  /** `KONTIST_DEVICE_NAME`, default `server-example`: shown to the user in the e-mail and their devices. */
  name: string;
  /**
   * `KONTIST_DEVICE_ID`: the device bound by an earlier login. Set, the login confirms with it and binds
   * nothing; unset, it binds the key as a new device (and prints the id to set).
   */
  deviceId: string | undefined;
  /** `KONTIST_DEVICE_SIGNER` (`pkcs11` or `keychain`) and the variables of that signer. */
  key: Pkcs11KeyConfig | KeychainKeyConfig;
}

/**
 * Reads the server's device key configuration from `env`, for the login script.
 *
 * @returns `undefined` when `KONTIST_DEVICE_SIGNER` is not set: the login then stops at the password
 *   grant, and the token stays unconfirmed.
 * @throws {Error} naming every missing or malformed variable (never echoing a value: one is the PIN).
 *
 * @example
 * const device = readDeviceKeyConfig(process.env);
 * if (device?.key.signer === "pkcs11") console.log(`key ${device.key.keyLabel} in ${device.key.tokenLabel}`);
 */
export function readDeviceKeyConfig(env: NodeJS.ProcessEnv): DeviceKeyConfig | undefined {
  const signer = env.KONTIST_DEVICE_SIGNER;
  if (!signer) return undefined;
  const problems: string[] = [];
  const required = (name: string) => {
    const value = env[name];
    if (!value) problems.push(`${name} is not set`);
    return value ?? "";
  };

  let key: DeviceKeyConfig["key"];
  if (signer === "pkcs11") {
    key = {
      signer,
      module: required("PKCS11_MODULE"),
      tokenLabel: required("PKCS11_TOKEN_LABEL"),
      pin: required("PKCS11_PIN"),
      keyLabel: env.PKCS11_KEY_LABEL || "kontist-device",
    };
  } else if (signer === "keychain") {
    key = {
      signer,
      service: env.KEYCHAIN_SERVICE || "kontist-auth-server-example",
      account: env.KEYCHAIN_ACCOUNT || "device-key",
    };
  } else {
    throw new Error("Bad configuration: KONTIST_DEVICE_SIGNER must be pkcs11 or keychain.");
  }
  if (problems.length > 0) {
    throw new Error(`Bad configuration for KONTIST_DEVICE_SIGNER=${signer}: ${problems.join("; ")}.`);
  }
  return {
    name: env.KONTIST_DEVICE_NAME || "server-example",
    deviceId: env.KONTIST_DEVICE_ID || undefined,
    key,
  };
}
