import { randomBytes } from "node:crypto";
import {
  type IKeyPair,
  type ITemplate,
  KeyGenMechanism,
  KeyType,
  ObjectClass,
  type PrivateKey,
  type PublicKey,
  type Session,
  type SessionObject,
} from "graphene-pk11";
import { describeReturnValue } from "../cryptoki/returnValues";
import {
  Pkcs11ExtractableKeyError,
  Pkcs11InvalidKeyError,
  Pkcs11KeyNotFoundError,
  Pkcs11OperationError,
} from "../errors";
import { isP256EcParams, P256_EC_PARAMS, unwrapEcPoint } from "./ecPoint";

/** Which key pair to use, and whether to make it when it is not there. */
export interface KeyPairSpec {
  /** `CKA_LABEL` of both halves. */
  label: string;
  /** `CKA_ID` of both halves; when absent, the key is found by label alone and generated with a random id. */
  id: Uint8Array | undefined;
  createIfMissing: boolean;
  /** Use a found private key even if it can leave the token, or once could (see {@link checkUnextractable}). */
  allowExtractableKeys: boolean;
}

/** A P-256 key pair on the token, with what the signer needs from it. */
export interface TokenKeyPair {
  privateKey: PrivateKey;
  publicKey: PublicKey;
  /** SEC1 `04‖X‖Y`, from the public key's `CKA_EC_POINT`. */
  point: Uint8Array;
  /** `CKA_ID` shared by both halves (empty when the token's key has none). */
  id: Uint8Array;
  /** Whether this call generated the pair. */
  generated: boolean;
}

/** Where the key pair is looked for and how calls may run. */
export interface KeyPairContext {
  session: Session;
  tokenName: string;
  /** Whether a slow call (key generation) may run on a worker thread. */
  threaded: boolean;
}

/**
 * Finds the P-256 key pair with the label (and id) on the token, or generates it there: an EC key pair on
 * P-256 (`CKM_EC_KEY_PAIR_GEN`) whose private key is a token object (`CKA_TOKEN`), private, sensitive and
 * not extractable, usable only to sign; the public key is a token object usable to verify.
 *
 * A private key found on the token (made by another tool) must be as safe as one generated here: it is
 * refused unless it is sensitive and never was extractable, or `allowExtractableKeys` is set.
 *
 * @throws {Pkcs11KeyNotFoundError} when there is no such key and `createIfMissing` is false.
 * @throws {Pkcs11InvalidKeyError} when several private keys match, the public half is missing, or the key
 *   is not on P-256.
 * @throws {Pkcs11ExtractableKeyError} when the found private key can leave the token, or once could.
 * @throws {Pkcs11OperationError} when searching or generating fails on the token.
 */
export async function findOrGenerateKeyPair(
  context: KeyPairContext,
  spec: KeyPairSpec,
): Promise<TokenKeyPair> {
  const privateKeys = findKeys(context, ObjectClass.PRIVATE_KEY, spec.label, spec.id);
  const what = describeKey(spec);

  if (privateKeys.length > 1) {
    throw new Pkcs11InvalidKeyError(
      `${privateKeys.length} private keys on ${context.tokenName} match ${what}; give a keyId to choose one.`,
    );
  }
  const [found] = privateKeys;
  if (found === undefined) {
    if (findKeys(context, ObjectClass.PUBLIC_KEY, spec.label, spec.id).length > 0) {
      throw new Pkcs11InvalidKeyError(
        `${context.tokenName} has a public key but no private key matching ${what}; delete it or use another label.`,
      );
    }
    if (!spec.createIfMissing) {
      throw new Pkcs11KeyNotFoundError(`There is no key pair matching ${what} on ${context.tokenName}.`);
    }
    return generate(context, spec);
  }

  const privateKey = found.toType<PrivateKey>();
  if (!spec.allowExtractableKeys) checkUnextractable(context, privateKey, what);
  const id = new Uint8Array(readAttribute(context, privateKey, "id") as Buffer);
  const publicKeys = findKeys(context, ObjectClass.PUBLIC_KEY, spec.label, id.length > 0 ? id : spec.id);
  const [publicKey] = publicKeys;
  if (publicKeys.length !== 1 || publicKey === undefined) {
    throw new Pkcs11InvalidKeyError(
      `The private key matching ${what} on ${context.tokenName} has ${publicKeys.length} public keys with its label and id; it needs exactly one.`,
    );
  }
  return describePair(context, privateKey, publicKey.toType<PublicKey>(), id, false);
}

async function generate(context: KeyPairContext, spec: KeyPairSpec): Promise<TokenKeyPair> {
  const id = Buffer.from(spec.id ?? randomBytes(16));
  const publicTemplate: ITemplate = {
    keyType: KeyType.EC,
    label: spec.label,
    id,
    token: true,
    private: false,
    verify: true,
    paramsEC: Buffer.from(P256_EC_PARAMS),
  };
  const privateTemplate: ITemplate = {
    keyType: KeyType.EC,
    label: spec.label,
    id,
    token: true,
    private: true,
    sensitive: true,
    extractable: false,
    sign: true,
  };

  let pair: IKeyPair;
  try {
    pair = await generateKeyPair(context, publicTemplate, privateTemplate);
  } catch (cause) {
    throw new Pkcs11OperationError(
      `Could not generate a P-256 key pair on ${context.tokenName} (C_GenerateKeyPair: ${describeReturnValue(cause)}).`,
      { cause },
    );
  }
  return describePair(context, pair.privateKey, pair.publicKey, new Uint8Array(id), true);
}

function generateKeyPair(context: KeyPairContext, publicTemplate: ITemplate, privateTemplate: ITemplate) {
  const { session } = context;
  if (!context.threaded) {
    return Promise.resolve(session.generateKeyPair(KeyGenMechanism.EC, publicTemplate, privateTemplate));
  }
  return new Promise<IKeyPair>((resolve, reject) => {
    try {
      session.generateKeyPair(KeyGenMechanism.EC, publicTemplate, privateTemplate, (error, pair) => {
        if (error) reject(error);
        else if (pair) resolve(pair);
        else reject(new Error("C_GenerateKeyPair returned no key pair"));
      });
    } catch (error) {
      reject(error);
    }
  });
}

function describePair(
  context: KeyPairContext,
  privateKey: PrivateKey,
  publicKey: PublicKey,
  id: Uint8Array,
  generated: boolean,
): TokenKeyPair {
  // graphene names CKA_EC_PARAMS `paramsECDSA` when it reads it back (its older alias, same attribute).
  const { paramsECDSA, pointEC } = readAttributes(context, publicKey, { paramsECDSA: null, pointEC: null });
  if (!(paramsECDSA instanceof Uint8Array) || !isP256EcParams(paramsECDSA)) {
    throw new Pkcs11InvalidKeyError(
      `The key pair on ${context.tokenName} is not a P-256 key (CKA_EC_PARAMS is not the OID 1.2.840.10045.3.1.7).`,
    );
  }
  if (!(pointEC instanceof Uint8Array)) {
    throw new Pkcs11InvalidKeyError(`The public key on ${context.tokenName} has no CKA_EC_POINT.`);
  }
  return { privateKey, publicKey, point: unwrapEcPoint(pointEC), id, generated };
}

/**
 * Refuses a private key whose value can be read or exported, or once could (PKCS#11 v2.40 §4.9, private
 * key objects): `CKA_SENSITIVE` must be true and `CKA_EXTRACTABLE` false, and since those two can be
 * turned off after a copy was made, `CKA_ALWAYS_SENSITIVE` and `CKA_NEVER_EXTRACTABLE` (which the token
 * sets and nobody can) must be true too.
 */
function checkUnextractable(context: KeyPairContext, key: PrivateKey, what: string): void {
  const { sensitive, extractable, alwaysSensitive, neverExtractable } = readAttributes(context, key, {
    sensitive: null,
    extractable: null,
    alwaysSensitive: null,
    neverExtractable: null,
  });
  const problems = [
    sensitive !== true && "CKA_SENSITIVE is false (its value can be read)",
    extractable !== false && "CKA_EXTRACTABLE is true (it can be exported)",
    neverExtractable !== true && "CKA_NEVER_EXTRACTABLE is false (it was extractable once)",
    alwaysSensitive !== true && "CKA_ALWAYS_SENSITIVE is false (its value was readable once)",
  ].filter((problem) => problem !== false);
  if (problems.length === 0) return;
  throw new Pkcs11ExtractableKeyError(
    `The private key matching ${what} on ${context.tokenName} can leave the token, or once could: ` +
      `${problems.join("; ")}. A copy of it may exist outside the token. Use a key generated in the token ` +
      "(a new label), or pass allowExtractableKeys: true to accept it knowingly.",
  );
}

function findKeys(
  context: KeyPairContext,
  keyClass: ObjectClass,
  label: string,
  id: Uint8Array | undefined,
): SessionObject[] {
  const template: ITemplate = { class: keyClass, keyType: KeyType.EC, label };
  if (id !== undefined) template.id = Buffer.from(id);
  try {
    const found = context.session.find(template);
    return Array.from({ length: found.length }, (_, index) => found.items(index));
  } catch (cause) {
    throw new Pkcs11OperationError(
      `Could not search ${context.tokenName} for keys (C_FindObjects: ${describeReturnValue(cause)}).`,
      { cause },
    );
  }
}

function readAttribute(context: KeyPairContext, key: SessionObject, name: string): unknown {
  return readAttributes(context, key, { [name]: null })[name];
}

function readAttributes(context: KeyPairContext, key: SessionObject, template: ITemplate): ITemplate {
  try {
    return key.getAttribute(template);
  } catch (cause) {
    throw new Pkcs11OperationError(
      `Could not read the key's attributes on ${context.tokenName} (C_GetAttributeValue: ${describeReturnValue(cause)}).`,
      { cause },
    );
  }
}

function describeKey(spec: KeyPairSpec): string {
  const label = `label ${JSON.stringify(spec.label)}`;
  return spec.id === undefined ? label : `${label} and the given CKA_ID`;
}
