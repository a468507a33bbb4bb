import { randomUUID } from "node:crypto";
import { describeSignerConformance } from "@kontist-auth/crypto/testing";
import { afterAll, beforeAll } from "vitest";
import { createSoftHsmToken, type SoftHsmToken } from "../test/softhsm";
import { createPkcs11Signer, type Pkcs11Signer } from "./createPkcs11Signer";

// The signer contract every backend meets, on a real SoftHSM2 token.

let token: SoftHsmToken;
const signers: Pkcs11Signer[] = [];

beforeAll(async () => {
  token = await createSoftHsmToken();
});

afterAll(async () => {
  await Promise.all(signers.map((signer) => signer.close()));
  await token?.remove();
});

describeSignerConformance("PKCS#11 signer on SoftHSM2", async () => {
  const signer = await createPkcs11Signer({
    module: token.module,
    tokenLabel: token.tokenLabel,
    pin: token.pin,
    keyLabel: `conformance-${randomUUID()}`,
  });
  signers.push(signer);
  return { signer, deleteKey: () => signer.deleteKey() };
});
