import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** What another PKCS#11 application sees of a key pair on the token. */
export interface KeyAttributes {
  privateKeys: number;
  publicKeys: number;
  private?: {
    token: boolean;
    private: boolean;
    sensitive: boolean;
    extractable: boolean;
    alwaysSensitive: boolean;
    neverExtractable: boolean;
    sign: boolean;
    keyType: number;
    /** The CKR name `C_GetAttributeValue(CKA_VALUE)` failed with, or `"readable"`. */
    value: string;
  };
  public?: { token: boolean; verify: boolean; paramsEC: string };
}

// Runs in a child process, so it is a separate PKCS#11 application reading the token from disk, with
// nothing shared with the signer under test (graphene-pk11 straight, CommonJS, no build).
const script = `
const graphene = require("graphene-pk11");
const { module, tokenLabel, pin, keyLabel } = JSON.parse(process.argv[1]);
const mod = graphene.Module.load(module);
mod.initialize();
try {
  const slots = mod.getSlots(true);
  let slot;
  for (let i = 0; i < slots.length; i++) if (slots.items(i).getToken().label === tokenLabel) slot = slots.items(i);
  const session = slot.open(graphene.SessionFlag.SERIAL_SESSION);
  session.login(pin);
  const find = (cls) => session.find({ class: cls, label: keyLabel });
  const privateKeys = find(graphene.ObjectClass.PRIVATE_KEY);
  const publicKeys = find(graphene.ObjectClass.PUBLIC_KEY);
  const result = { privateKeys: privateKeys.length, publicKeys: publicKeys.length };
  if (privateKeys.length === 1) {
    const key = privateKeys.items(0);
    result.private = key.getAttribute({
      token: null, private: null, sensitive: null, extractable: null, alwaysSensitive: null,
      neverExtractable: null, sign: null, keyType: null,
    });
    try { key.getAttribute({ value: null }); result.private.value = "readable"; }
    catch (error) { result.private.value = /CKR_[A-Z_]+/.exec(error.message)?.[0] ?? error.message; }
  }
  if (publicKeys.length === 1) {
    const attributes = publicKeys.items(0).getAttribute({ token: null, verify: null, paramsECDSA: null });
    result.public = { token: attributes.token, verify: attributes.verify, paramsEC: attributes.paramsECDSA.toString("hex") };
  }
  session.logout();
  session.close();
  process.stdout.write(JSON.stringify(result));
} finally {
  mod.finalize();
}
`;

/**
 * Reads the attributes of the key pair labelled `keyLabel` through graphene-pk11 in a separate process,
 * as any other application on the machine would. `SOFTHSM2_CONF` must point at the token's folder.
 */
export async function readKeyAttributes(token: {
  module: string;
  tokenLabel: string;
  pin: string;
  keyLabel: string;
}): Promise<KeyAttributes> {
  const { stdout } = await run(process.execPath, ["-e", script, JSON.stringify(token)], {
    cwd: packageDir,
    env: process.env,
  });
  return JSON.parse(stdout) as KeyAttributes;
}
