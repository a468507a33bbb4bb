import { randomBytes, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hex, loadWycheproof } from "../../test/wycheproof";
import { fromDerSignatureHex } from "../encoding/fromDerSignatureHex";
import { isLowS } from "../encoding/isLowS";
import { normalizeLowS } from "../encoding/normalizeLowS";
import { generateSecretKey } from "../signer/secretKey";
import { nodePublicKey } from "../testing/nodePublicKey";
import * as noble from "./ecdsa.noble";
import * as node from "./ecdsa.node";

// The two implementations of `#ecdsa`, side by side: whichever a runtime picks, verdicts, public keys and
// signatures are interchangeable. (Source-mode tests on Node otherwise only reach ecdsa.node.ts; the
// browser test in packages/tests runs ecdsa.noble.ts bundled.)

const implementations = { "node:crypto": node, "@noble/curves": noble };
const der = loadWycheproof("ecdsa_secp256r1_sha256_test.json");
const p1363 = loadWycheproof("ecdsa_secp256r1_sha256_p1363_test.json");

/** `verifySignature`'s answer, a throw (malformed input) counting as `false`, as verifyDeviceSignature does. */
function verdict(ecdsa: typeof node, publicKey: Uint8Array, message: Uint8Array, rs: Uint8Array): boolean {
  try {
    return ecdsa.verifySignature(publicKey, message, rs);
  } catch {
    return false;
  }
}

describe.each(Object.entries(implementations))("#ecdsa with %s", (_name, ecdsa) => {
  it("verifySignature agrees with every Wycheproof verdict (DER, strictly decoded first)", () => {
    const disagreements = der.cases.filter((c) => {
      let rs: Uint8Array;
      try {
        rs = fromDerSignatureHex(c.sig);
      } catch {
        return c.result === "valid";
      }
      return verdict(ecdsa, hex(c.publicKey), hex(c.msg), rs) !== (c.result === "valid");
    });
    expect(disagreements.map((c) => `${c.tcId} ${c.comment}`)).toEqual([]);
  });

  it("verifySignature agrees with every Wycheproof verdict on 64-byte r‖s (P1363)", () => {
    const cases = p1363.cases.filter((c) => c.sig.length === 128);
    expect(cases).toHaveLength(241);
    const disagreements = cases.filter(
      (c) => verdict(ecdsa, hex(c.publicKey), hex(c.msg), hex(c.sig)) !== (c.result === "valid"),
    );
    expect(disagreements.map((c) => `${c.tcId} ${c.comment}`)).toEqual([]);
  });

  it("verifySignature accepts the high-S twin of a valid signature, and is false (or throws) on bad input", () => {
    const key = ecdsa.importSecretKey(generateSecretKey());
    const message = new Uint8Array(randomBytes(40));
    const rs = key.sign(message);
    const high = Uint8Array.from(rs);
    high.set(normalizeLowS(rs).subarray(32), 32);
    const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const s = BigInt(`0x${Buffer.from(rs.subarray(32)).toString("hex")}`);
    high.set(Buffer.from((n - s).toString(16).padStart(64, "0"), "hex"), 32);
    expect(isLowS(high)).toBe(false);
    expect(verdict(ecdsa, key.publicKey, message, high)).toBe(true);
    expect(verdict(ecdsa, key.publicKey, new Uint8Array(1), rs)).toBe(false);
    expect(verdict(ecdsa, key.publicKey, message, rs.subarray(0, 63))).toBe(false);
    expect(verdict(ecdsa, key.publicKey.subarray(1), message, rs)).toBe(false);
  });

  it("importSecretKey signs low-S r‖s over SHA-256 that node:crypto and the other implementation verify", () => {
    const secretKey = generateSecretKey();
    const key = ecdsa.importSecretKey(secretKey);
    const nodeKey = nodePublicKey(key.publicKey);
    for (let i = 0; i < 40; i++) {
      const message = new Uint8Array(randomBytes(i * 5));
      const rs = key.sign(message);
      expect(rs).toHaveLength(64);
      expect(isLowS(rs)).toBe(true);
      expect(verify("sha256", message, { key: nodeKey, dsaEncoding: "ieee-p1363" }, rs)).toBe(true);
      for (const other of Object.values(implementations)) {
        expect(verdict(other, key.publicKey, message, rs)).toBe(true);
      }
    }
  });
});

describe("#ecdsa implementations together", () => {
  it("derive the same public key from a secret key", () => {
    for (let i = 0; i < 20; i++) {
      const secretKey = generateSecretKey();
      const publicKey = node.importSecretKey(secretKey).publicKey;
      expect(publicKey).toHaveLength(65);
      expect(publicKey[0]).toBe(4);
      expect(noble.importSecretKey(secretKey).publicKey).toEqual(publicKey);
    }
  });

  it("@noble/curves signs deterministically (RFC 6979); node:crypto with a fresh nonce each time", () => {
    const secretKey = generateSecretKey();
    const message = new Uint8Array(randomBytes(32));
    expect(noble.importSecretKey(secretKey).sign(message)).toEqual(
      noble.importSecretKey(secretKey).sign(message),
    );
    const key = node.importSecretKey(secretKey);
    expect(key.sign(message).subarray(0, 32)).not.toEqual(key.sign(message).subarray(0, 32));
  });

  it("neither keeps a reference that changes the key after import (node) nor modifies the input", () => {
    const secretKey = generateSecretKey();
    const copy = Uint8Array.from(secretKey);
    const key = node.importSecretKey(secretKey);
    secretKey.fill(0);
    const message = new Uint8Array(8);
    expect(verdict(noble, key.publicKey, message, key.sign(message))).toBe(true);
    expect(node.importSecretKey(copy).publicKey).toEqual(key.publicKey);
  });
});
