import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** What to make differently from the signer's own keys (sensitive, never extractable). */
export interface KeyPairAttributes {
  /** `CKA_SENSITIVE` of the private key at generation. */
  sensitive: boolean;
  /** `CKA_EXTRACTABLE` of the private key at generation. */
  extractable: boolean;
  /** After generation, set `CKA_EXTRACTABLE` to false (`C_SetAttributeValue`): `CKA_NEVER_EXTRACTABLE` stays false. */
  thenMakeUnextractable?: boolean;
}

// Runs in a child process, as a provisioning tool would: pkcs11js calls straight on the module graphene
// loaded (`module.lib` is pkcs11js's PKCS11), with the Cryptoki constants of PKCS#11 v2.40 §4 spelled out.
const script = `
const graphene = require("graphene-pk11");
const { module, tokenLabel, pin, keyLabel, sensitive, extractable, thenMakeUnextractable } = JSON.parse(process.argv[1]);
const CKA_CLASS = 0x0, CKA_TOKEN = 0x1, CKA_PRIVATE = 0x2, CKA_LABEL = 0x3, CKA_KEY_TYPE = 0x100, CKA_ID = 0x102,
  CKA_SENSITIVE = 0x103, CKA_SIGN = 0x108, CKA_VERIFY = 0x10a, CKA_EXTRACTABLE = 0x162, CKA_EC_PARAMS = 0x180;
const CKO_PUBLIC_KEY = 2, CKO_PRIVATE_KEY = 3, CKK_EC = 3, CKM_EC_KEY_PAIR_GEN = 0x1040, CKU_USER = 1;
const CKF_SERIAL_SESSION = 0x4, CKF_RW_SESSION = 0x2;
const mod = graphene.Module.load(module);
const lib = mod.lib;
lib.C_Initialize();
try {
  const slot = lib.C_GetSlotList(true).find((id) => lib.C_GetTokenInfo(id).label.trim() === tokenLabel);
  const session = lib.C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION);
  lib.C_Login(session, CKU_USER, pin);
  const id = Buffer.from("0badc0de", "hex");
  const p256 = Buffer.from("06082a8648ce3d030107", "hex");
  const { privateKey } = lib.C_GenerateKeyPair(
    session,
    { mechanism: CKM_EC_KEY_PAIR_GEN, parameter: null },
    [
      { type: CKA_CLASS, value: CKO_PUBLIC_KEY }, { type: CKA_KEY_TYPE, value: CKK_EC }, { type: CKA_TOKEN, value: true },
      { type: CKA_LABEL, value: keyLabel }, { type: CKA_ID, value: id }, { type: CKA_VERIFY, value: true },
      { type: CKA_EC_PARAMS, value: p256 },
    ],
    [
      { type: CKA_CLASS, value: CKO_PRIVATE_KEY }, { type: CKA_KEY_TYPE, value: CKK_EC }, { type: CKA_TOKEN, value: true },
      { type: CKA_PRIVATE, value: true }, { type: CKA_LABEL, value: keyLabel }, { type: CKA_ID, value: id },
      { type: CKA_SIGN, value: true }, { type: CKA_SENSITIVE, value: sensitive }, { type: CKA_EXTRACTABLE, value: extractable },
    ],
  );
  if (thenMakeUnextractable) lib.C_SetAttributeValue(session, privateKey, [{ type: CKA_EXTRACTABLE, value: false }]);
  lib.C_Logout(session);
  lib.C_CloseSession(session);
} finally {
  lib.C_Finalize();
}
`;

/**
 * Generates a P-256 key pair labelled `keyLabel` on the token with pkcs11js, from a separate process,
 * with the private key's `CKA_SENSITIVE` / `CKA_EXTRACTABLE` as asked: a key another tool provisioned.
 * `SOFTHSM2_CONF` must point at the token's folder.
 */
export async function generateKeyPairWith(
  token: { module: string; tokenLabel: string; pin: string; keyLabel: string },
  attributes: KeyPairAttributes,
): Promise<void> {
  await run(process.execPath, ["-e", script, JSON.stringify({ ...token, ...attributes })], {
    cwd: packageDir,
    env: process.env,
  });
}
