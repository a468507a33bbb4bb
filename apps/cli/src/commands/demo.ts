import { Client, type Token } from "@kontist-auth/client";
import { createSoftwareSigner, toDeviceKeyHex } from "@kontist-auth/crypto";
import { type SandboxOptions, startSandbox } from "@kontist-auth/sandbox";
import { summarizeToken } from "../tokenSummary";

/** The seeded sandbox identities the demo uses (see the sandbox README). */
const demoUser = { username: "demo@example.com", password: "demo-password" };
const demoClient = { clientId: "demo-client", clientSecret: "demo-secret" };

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where each line goes; `console.log` by default. */
  print?: (line: string) => void;
  /** Options of the embedded sandbox (its port is always a free one). */
  sandbox?: Omit<SandboxOptions, "port">;
}

/** What the demo ended with, for callers that check it. */
export interface DemoResult {
  deviceId: string;
  refreshed: Token;
}

/**
 * Runs the whole device-binding flow against a sandbox started in this process, as Kontist's API runs it
 * today: log in with the password grant, create a software P-256 key, ask for a device binding request,
 * let the user confirm it (the sandbox's e-mail link stands in for the click), bind the key as a device
 * within the 3-minute window (reading the OTP from the sandbox's SMS outbox), confirm with a device
 * challenge, list the bound devices, refresh, and check the refreshed access token is still confirmed.
 * Prints claims and ids only, never a whole token, OTP or key.
 *
 * @throws whatever the client or the sandbox's test client throws (typed `KontistAuthError`s), or an
 *   `Error` when the refreshed token is not confirmed.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const sandbox = await startSandbox({ ...options.sandbox, port: 0 });
  try {
    print(`1. Sandbox listening on ${sandbox.url}`);
    const client = new Client({ baseUrl: sandbox.url, ...demoClient, scopes: ["users", "offline"] });

    const login = await client.auth.tokenManager.fetchTokenFromCredentials(demoUser);
    print(`2. Logged in as ${demoUser.username} (password grant): ${describe(login)}`);

    const signer = createSoftwareSigner();
    const publicKey = toDeviceKeyHex(await signer.getPublicKey());
    print(`3. Created a software P-256 key; public key ${publicKey.slice(0, 10)}…${publicKey.slice(-6)}`);

    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "kontist-auth demo",
      onBindingRequest: async (request) => {
        print(`4. Asked for a device binding request ${request.id} for "${request.deviceName}"`);
        print(`   from ${request.ipAddress} (${request.address})`);
        const email = await sandbox.test.bindingRequestEmail(request.id);
        print(`   Kontist e-mailed ${email.to}: "${email.subject}"`);
        // The user clicks "Confirm" in that e-mail; the sandbox's test route stands in for the click.
        await sandbox.test.confirmBindingRequest(request.id);
        print(
          "   The user confirmed it from the e-mail; the device must now be created and verified within 3 minutes",
        );
      },
      // The user reads the OTP from the SMS; the sandbox's outbox stands in for the phone.
      otp: () => sandbox.test.latestOtp(),
    });
    print(`5. Bound device ${deviceId}: the SMS one-time password was signed and verified`);

    const confirmed = await client.auth.device.confirm({ signer, deviceId });
    print(`6. Confirmed with a device challenge: ${describe(confirmed)}`);

    const devices = await client.auth.device.list();
    print(
      `7. Bound devices (listBoundDevices): ${devices.map((device) => `${device.name} (${device.id})`).join(", ")}`,
    );

    const refreshed = await client.auth.tokenManager.refresh();
    print(`8. Refreshed with the confirmed refresh token: ${describe(refreshed)}`);

    if (!refreshed.confirmed) throw new Error("The refreshed access token is not confirmed.");
    print(
      `✔ The refreshed access token is confirmed (cnf.kid = ${summarizeToken(refreshed).confirmedBy ?? "none"}).`,
    );
    return { deviceId, refreshed };
  } finally {
    await sandbox.close();
  }
}

/** Claims a person wants to see, on one line; never the token itself. */
function describe(token: Token): string {
  const { user, scopes, expiresAt, refreshable, confirmed } = summarizeToken(token);
  return `sub=${user}, scope="${scopes.join(" ")}", expires ${expiresAt ?? "never"}, refresh token ${refreshable ? "yes" : "no"}, confirmed=${confirmed}`;
}
