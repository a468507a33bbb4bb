import { randomInt, randomUUID } from "node:crypto";
import { createPkcs11Signer } from "@kontist-auth/crypto-pkcs11";
import { createSoftHsmToken } from "../../../crypto-pkcs11/test/softhsm";
import type { FlowRun } from "./FlowRun";

// A device key in a real SoftHSM2 token, unlocked with a PIN the ledger knows: bind, confirm, and a wrong
// PIN, each printed and rendered. The SoftHSM2 helper comes by relative path from packages/crypto-pkcs11.

const randomPin = () => String(randomInt(10_000_000, 100_000_000));

export async function pkcs11Flow(run: FlowRun): Promise<void> {
  const pin = randomPin();
  run.ledger.add("PIN", pin);
  const token = await createSoftHsmToken({ pin, soPin: randomPin(), tokenLabel: "hygiene" });
  const options = { module: token.module, tokenLabel: token.tokenLabel, keyLabel: `hygiene-${randomUUID()}` };
  try {
    const wrongPin = String((Number(pin) + 1) % 100_000_000).padStart(8, "0");
    run.ledger.add("PIN", wrongPin);
    await run.failing("PKCS#11 signer with a wrong PIN", () =>
      createPkcs11Signer({ ...options, pin: wrongPin, createIfMissing: true }),
    );
    const signer = await createPkcs11Signer({ ...options, pin, createIfMissing: true });
    try {
      run.show("PKCS#11 signer", signer);
      const client = await run.loggedIn();
      const { deviceId } = await client.auth.device.bind({
        signer,
        name: "hygiene SoftHSM2",
        pollInterval: 50,
        onBindingRequest: (request) => run.target.test.confirmBindingRequest(request.id),
        otp: () => run.latestOtp(),
      });
      const confirmed = await client.auth.device.confirm({ signer, deviceId });
      run.token(confirmed);
      run.show("PKCS#11 confirmed token", confirmed);
      await client.auth.tokenManager.logout();
    } finally {
      await signer.close();
    }
  } finally {
    await token.remove();
  }
}
