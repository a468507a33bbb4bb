import { type KeyObject, randomBytes, verify } from "node:crypto";
import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { expect } from "vitest";
import { fromDerSignatureHex } from "../encoding/fromDerSignatureHex";
import { bytesToHex } from "../encoding/hex";
import { isBytes } from "../encoding/isBytes";
import { isLowS } from "../encoding/isLowS";
import { parseDeviceKeyHex } from "../encoding/parseDeviceKeyHex";
import { toDeviceKeyHex } from "../encoding/toDeviceKeyHex";
import { createDeviceSignature } from "../signature/createDeviceSignature";
import { verifyDeviceSignature } from "../signature/verifyDeviceSignature";
import type { P256Signer } from "../signer/P256Signer";
import { nodePublicKey } from "./nodePublicKey";
import type { SignerUnderTest } from "./SignerUnderTest";

/** What a check runs against: the signer most checks share, a fresh one where a check needs its own key. */
export interface SignerCheckContext {
  /** The shared signer, created on first use. */
  shared(): Promise<SignerUnderTest>;
  /** A new signer over a new key. */
  fresh(): Promise<SignerUnderTest>;
  /** How many `sign()` calls the concurrency check starts at once. */
  concurrency: number;
}

/** One conformance check: its test name and its body, which throws (a vitest assertion) on failure. */
export interface SignerCheck {
  readonly name: string;
  run(context: SignerCheckContext): Promise<void>;
}

const utf8 = new TextEncoder();

/** The key under test, three ways: the wire hex, a node:crypto KeyObject, and the bytes. */
async function keyOf(signer: P256Signer): Promise<{ hex: string; node: KeyObject }> {
  const point = await signer.getPublicKey();
  const hex = toDeviceKeyHex(point);
  return { hex, node: nodePublicKey(point) };
}

/** Calls `sign` and checks the shape of its answer: a Uint8Array of 64 bytes (r‖s, not DER). */
async function signRaw(signer: P256Signer, message: Uint8Array): Promise<Uint8Array> {
  const rs: unknown = await signer.sign(message);
  expect(isBytes(rs), "sign() must resolve to a Uint8Array").toBe(true);
  expect((rs as Uint8Array).length, "sign() must resolve to 64 bytes r‖s (IEEE P1363), not DER").toBe(64);
  return rs as Uint8Array;
}

/** OpenSSL's verdict on a raw r‖s signature over SHA-256(message). */
function nodeVerifies(key: KeyObject, message: Uint8Array, rs: Uint8Array): boolean {
  return verify("sha256", message, { key, dsaEncoding: "ieee-p1363" }, rs);
}

/** Checks one message end to end: raw `sign` and `createDeviceSignature`, verified by node:crypto and the SDK. */
async function expectSignsAndVerifies(signer: P256Signer, message: string | Uint8Array): Promise<void> {
  const bytes = typeof message === "string" ? utf8.encode(message) : message;
  const key = await keyOf(signer);
  const rs = await signRaw(signer, Uint8Array.from(bytes));
  expect(nodeVerifies(key.node, bytes, rs), "node:crypto must verify sign()'s r‖s").toBe(true);
  const der = await createDeviceSignature(signer, message);
  expect(verifyDeviceSignature(key.hex, message, der), "verifyDeviceSignature must accept it").toBe(true);
  expect(verify("sha256", bytes, { key: key.node, dsaEncoding: "der" }, Buffer.from(der, "hex"))).toBe(true);
}

const r = (rs: Uint8Array) => bytesToHex(rs.subarray(0, 32));

/** Every check the kit runs, in order. The delete check is last: it is the only one that destroys a key. */
export const signerChecks: readonly SignerCheck[] = [
  {
    name: "getPublicKey() resolves to a 65-byte uncompressed P-256 point 04‖X‖Y, the same on every call",
    async run({ shared }) {
      const { signer } = await shared();
      const first: unknown = await signer.getPublicKey();
      expect(isBytes(first), "getPublicKey() must resolve to a Uint8Array").toBe(true);
      const point = first as Uint8Array;
      expect(point.length, "an uncompressed point is 65 bytes (not SPKI, not compressed)").toBe(65);
      expect(point[0], "an uncompressed point starts with 0x04").toBe(0x04);
      const hex = toDeviceKeyHex(point); // throws InvalidPublicKeyError off the curve
      expect(bytesToHex(parseDeviceKeyHex(hex))).toBe(hex);
      nodePublicKey(point); // OpenSSL agrees it is on P-256
      const again = await Promise.all([signer.getPublicKey(), signer.getPublicKey()]);
      for (const next of again) expect(toDeviceKeyHex(next), "the public key must be stable").toBe(hex);
    },
  },
  {
    name: "sign() resolves to 64 bytes r‖s that node:crypto verifies (ieee-p1363, SHA-256)",
    async run({ shared }) {
      const { signer } = await shared();
      const key = await keyOf(signer);
      // 32 and 64 bytes catch a signer that takes its input for a digest; the rest are arbitrary.
      for (const length of [1, 6, 31, 32, 33, 64, 100, 1000]) {
        const message = new Uint8Array(randomBytes(length));
        const rs = await signRaw(signer, Uint8Array.from(message));
        expect(nodeVerifies(key.node, message, rs), `node:crypto must verify a ${length}-byte message`).toBe(
          true,
        );
      }
    },
  },
  {
    name: "createDeviceSignature() output verifies with verifyDeviceSignature and node:crypto (DER)",
    async run({ shared }) {
      const { signer } = await shared();
      for (const message of ["123456", "000000", `challenge-${randomBytes(16).toString("hex")}`]) {
        await expectSignsAndVerifies(signer, message);
      }
    },
  },
  {
    name: "createDeviceSignature() output is low-S (s ≤ n/2) for every signature",
    async run({ shared }) {
      const { signer } = await shared();
      const key = await keyOf(signer);
      // With a random nonce half of all raw signatures are high-S; 64 tries miss one with p = 2⁻⁶⁴.
      for (let i = 0; i < 64; i++) {
        const message = `low-s ${i}`;
        const der = await createDeviceSignature(signer, message);
        expect(isLowS(fromDerSignatureHex(der)), "createDeviceSignature must emit low-S").toBe(true);
        expect(verifyDeviceSignature(key.hex, message, der)).toBe(true);
      }
    },
  },
  {
    name: "nonces: different messages never share r; one message twice gives the same signature (RFC 6979) or a new r",
    async run({ shared }) {
      const { signer } = await shared();
      const key = await keyOf(signer);
      const seen = new Set<string>();
      for (let i = 0; i < 32; i++) {
        const rs = await signRaw(signer, utf8.encode(`nonce ${i}`));
        expect(seen.has(r(rs)), "two different messages were signed with the same r (nonce reuse)").toBe(
          false,
        );
        seen.add(r(rs));
      }
      const message = utf8.encode("the same message twice");
      const first = await signRaw(signer, Uint8Array.from(message));
      const second = await signRaw(signer, Uint8Array.from(message));
      expect(nodeVerifies(key.node, message, first)).toBe(true);
      expect(nodeVerifies(key.node, message, second)).toBe(true);
      if (bytesToHex(first) !== bytesToHex(second)) {
        expect(r(first), "a randomized signer must use a new nonce for each signature").not.toBe(r(second));
      }
    },
  },
  {
    name: "a signature does not verify for another message",
    async run({ shared }) {
      const { signer } = await shared();
      const key = await keyOf(signer);
      const message = utf8.encode("123456");
      const rs = await signRaw(signer, Uint8Array.from(message));
      const der = await createDeviceSignature(signer, message);
      for (const other of ["123457", "12345", "1234560", ""]) {
        expect(nodeVerifies(key.node, utf8.encode(other), rs)).toBe(false);
        expect(verifyDeviceSignature(key.hex, other, der)).toBe(false);
      }
      const flipped = Uint8Array.from(message);
      flipped[0] = (flipped[0] ?? 0) ^ 1;
      expect(nodeVerifies(key.node, flipped, rs)).toBe(false);
    },
  },
  {
    name: "concurrent sign() calls all resolve to valid signatures with distinct r",
    async run({ shared, concurrency }) {
      const { signer } = await shared();
      const key = await keyOf(signer);
      const messages = Array.from({ length: concurrency }, (_, i) => utf8.encode(`concurrent ${i}`));
      const signatures = await Promise.all(
        messages.map((message) => signRaw(signer, Uint8Array.from(message))),
      );
      let verified = 0;
      signatures.forEach((rs, i) => {
        if (nodeVerifies(key.node, messages[i] as Uint8Array, rs)) verified++;
      });
      expect(verified, `all ${concurrency} concurrent signatures must verify`).toBe(concurrency);
      expect(new Set(signatures.map(r)).size, "concurrent signatures must not share a nonce").toBe(
        concurrency,
      );
    },
  },
  {
    name: "message encoding: the empty message",
    async run({ shared }) {
      await expectSignsAndVerifies((await shared()).signer, new Uint8Array(0));
      await expectSignsAndVerifies((await shared()).signer, "");
    },
  },
  {
    name: "message encoding: UTF-8 with non-ASCII characters",
    async run({ shared }) {
      const { signer } = await shared();
      const message = "Grüße 🔐 ÿ — 東京 \u0000 end";
      await expectSignsAndVerifies(signer, message);
      // The signature covers the UTF-8 bytes, not UTF-16 or Latin-1.
      const key = await keyOf(signer);
      const der = await createDeviceSignature(signer, message);
      expect(verifyDeviceSignature(key.hex, Buffer.from(message, "utf8"), der)).toBe(true);
      expect(verifyDeviceSignature(key.hex, Buffer.from(message, "latin1"), der)).toBe(false);
      expect(verifyDeviceSignature(key.hex, Buffer.from(message, "utf16le"), der)).toBe(false);
    },
  },
  {
    name: "message encoding: a 1 MiB message",
    async run({ shared }) {
      await expectSignsAndVerifies((await shared()).signer, new Uint8Array(randomBytes(1024 * 1024)));
    },
  },
  {
    name: "sign() leaves the message untouched and signs exactly the bytes of a view (byteOffset ≠ 0)",
    async run({ shared }) {
      const { signer } = await shared();
      const key = await keyOf(signer);
      const backing = new Uint8Array(randomBytes(1024 + 64));
      const snapshot = Uint8Array.from(backing);
      const view = backing.subarray(32, 32 + 1024);
      const rs = await signRaw(signer, view);
      expect(bytesToHex(backing), "sign() must not change the message or its buffer").toBe(
        bytesToHex(snapshot),
      );
      expect(
        nodeVerifies(key.node, snapshot.subarray(32, 32 + 1024), rs),
        "sign() must sign the view only",
      ).toBe(true);
      const whole = Uint8Array.from(snapshot);
      const der = await createDeviceSignature(signer, whole);
      expect(bytesToHex(whole)).toBe(bytesToHex(snapshot));
      expect(verifyDeviceSignature(key.hex, snapshot, der)).toBe(true);
    },
  },
  {
    name: "after deleteKey(), sign() and getPublicKey() reject with a KontistAuthError (or there is no deleteKey)",
    async run({ fresh }) {
      const subject = await fresh();
      if (subject.deleteKey === undefined) {
        // An in-memory signer: nothing persistent to delete, nothing to check.
        expect(subject.deleteKey).toBeUndefined();
        return;
      }
      const { signer } = subject;
      await expectSignsAndVerifies(signer, "before delete");
      await subject.deleteKey();
      const failure = (promise: Promise<unknown>) =>
        promise.then(
          () => expect.unreachable("expected a rejection after deleteKey()"),
          (error: unknown) => error,
        );
      for (const [what, error] of [
        ["sign()", await failure(signer.sign(utf8.encode("after delete")))],
        ["getPublicKey()", await failure(signer.getPublicKey())],
      ] as const) {
        expect(
          isKontistAuthError(error),
          `${what} must reject with a KontistAuthError after deleteKey()`,
        ).toBe(true);
        expect(typeof (error as { code?: unknown }).code).toBe("string");
      }
    },
  },
];
