import { isKontistAuthError } from "@kontist-auth/client";
import { bindServerDevice } from "./bindServerDevice";
import { createKontistClient } from "./createKontistClient";
import { type DeviceSigner, openDeviceSigner } from "./openDeviceSigner";
import { type ExampleConfig, readConfig } from "./readConfig";
import { type DeviceKeyConfig, readDeviceKeyConfig } from "./readDeviceKeyConfig";

// `pnpm kontist-login`: run once, and again whenever the refresh token has run out. Logs in with the
// OAuth2 password grant; with a device key configured (KONTIST_DEVICE_SIGNER), binds that key as the
// server's device the first time (a binding request the user confirms by e-mail, then the SMS code) and
// confirms the login with it. The token lands in Redis, where every instance configured with the same
// TOKEN_STORE_KEY finds it; a confirmed one comes with a confirmed refresh token, so the instances' renewals
// stay confirmed and they never need the key themselves.
// The password grant is for your own account and trusted scripts; users of an app log in through the
// authorization code flow instead (see packages/client/README.md).

let config: ExampleConfig;
let device: DeviceKeyConfig | undefined;
try {
  config = readConfig(process.env);
  device = readDeviceKeyConfig(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const username = process.env.KONTIST_USERNAME;
const password = process.env.KONTIST_PASSWORD;
if (!username || !password) {
  console.error("Set KONTIST_USERNAME and KONTIST_PASSWORD.");
  process.exit(1);
}

const { client, redis } = createKontistClient(config);
let deviceSigner: DeviceSigner | undefined;
try {
  // The key first: a missing token or a wrong PIN fails before Kontist is asked anything.
  if (device !== undefined) deviceSigner = await openDeviceSigner(device);
  // The client writes every new token to its store (Redis) before the call resolves.
  let token = await client.auth.tokenManager.fetchTokenFromCredentials({ username, password });
  if (device !== undefined && deviceSigner !== undefined) {
    let deviceId = device.deviceId;
    if (deviceId === undefined) {
      deviceId = await bindServerDevice(client, deviceSigner.signer, device.name);
      console.log(
        `Bound device ${deviceId} with the key in the ${deviceSigner.location}. ` +
          `Set KONTIST_DEVICE_ID=${deviceId} for later logins: they confirm with it without binding again.`,
      );
    }
    token = await client.auth.device.confirm({ signer: deviceSigner.signer, deviceId });
  } else {
    console.log("No device key (KONTIST_DEVICE_SIGNER): the token stays unconfirmed, /account answers 403.");
  }
  console.log(
    `Stored a token under ${config.tokenStoreKey}: expires ${token.expiresAt?.toISOString() ?? "never"}, ` +
      `${token.refreshToken ? "with" : "without"} a refresh token, confirmed: ${token.confirmed}.`,
  );
} catch (error) {
  if (isKontistAuthError(error, "DEVICE_BINDING_CANCELLED")) {
    console.error("Cancelled: no device was bound, and the token in Redis is unconfirmed.");
    process.exitCode = 130;
  } else {
    // SDK and signer errors hold no password, PIN, OTP, token or key; a wrong password is OAUTH2_ERROR.
    const code = isKontistAuthError(error) ? ` (${error.code})` : "";
    console.error(`Login failed${code}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
} finally {
  await deviceSigner?.close();
  await redis.quit();
}
