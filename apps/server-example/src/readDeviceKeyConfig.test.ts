import { describe, expect, it } from "vitest";
import { readDeviceKeyConfig } from "./readDeviceKeyConfig";

describe("readDeviceKeyConfig", () => {
  it("is undefined without KONTIST_DEVICE_SIGNER: the login stays unconfirmed", () => {
    expect(readDeviceKeyConfig({ PKCS11_PIN: "1234" })).toBeUndefined();
  });

  it("reads a PKCS#11 key with its defaults, and the device id of an earlier binding", () => {
    expect(
      readDeviceKeyConfig({
        KONTIST_DEVICE_SIGNER: "pkcs11",
        PKCS11_MODULE: "/usr/lib/softhsm/libsofthsm2.so",
        PKCS11_TOKEN_LABEL: "kontist",
        PKCS11_PIN: "1234",
        KONTIST_DEVICE_ID: "4e310a55-1b1a-4efb-b9a5-fd04491bdd21",
      }),
    ).toEqual({
      name: "server-example",
      deviceId: "4e310a55-1b1a-4efb-b9a5-fd04491bdd21",
      key: {
        signer: "pkcs11",
        module: "/usr/lib/softhsm/libsofthsm2.so",
        tokenLabel: "kontist",
        pin: "1234",
        keyLabel: "kontist-device",
      },
    });
  });

  it("reads a keychain key with its defaults, or the service and account given", () => {
    expect(readDeviceKeyConfig({ KONTIST_DEVICE_SIGNER: "keychain", KONTIST_DEVICE_NAME: "api-1" })).toEqual({
      name: "api-1",
      deviceId: undefined,
      key: { signer: "keychain", service: "kontist-auth-server-example", account: "device-key" },
    });
    expect(
      readDeviceKeyConfig({ KONTIST_DEVICE_SIGNER: "keychain", KEYCHAIN_SERVICE: "s", KEYCHAIN_ACCOUNT: "a" })
        ?.key,
    ).toEqual({ signer: "keychain", service: "s", account: "a" });
  });

  it("names every missing PKCS#11 variable, and an unknown signer, without echoing a value", () => {
    expect(() => readDeviceKeyConfig({ KONTIST_DEVICE_SIGNER: "pkcs11", PKCS11_PIN: "secret-pin" })).toThrow(
      "Bad configuration for KONTIST_DEVICE_SIGNER=pkcs11: PKCS11_MODULE is not set; PKCS11_TOKEN_LABEL is not set.",
    );
    expect(() => readDeviceKeyConfig({ KONTIST_DEVICE_SIGNER: "software" })).toThrow(
      /^Bad configuration: KONTIST_DEVICE_SIGNER must be pkcs11 or keychain\.$/,
    );
  });
});
