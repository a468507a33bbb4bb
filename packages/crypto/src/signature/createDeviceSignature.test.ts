import { describe, expect, it } from "vitest";
import { hex, loadWycheproof } from "../../test/wycheproof";
import { p256Curve } from "../curve/p256Curve";
import { bigIntToBytes } from "../encoding/bigEndianInteger";
import { fromDerSignatureHex } from "../encoding/fromDerSignatureHex";
import { isLowS } from "../encoding/isLowS";
import { toDeviceKeyHex } from "../encoding/toDeviceKeyHex";
import { SignerError } from "../errors";
import { createSoftwareSigner } from "../signer/createSoftwareSigner";
import type { P256Signer } from "../signer/P256Signer";
import { createDeviceSignature } from "./createDeviceSignature";
import { verifyDeviceSignature } from "./verifyDeviceSignature";

const p1363 = loadWycheproof("ecdsa_secp256r1_sha256_p1363_test.json");

/** A signer that returns a fixed answer, like a WebCrypto or HSM backend would. */
function fixedSigner(answer: () => unknown): P256Signer & { signed: Uint8Array[] } {
  const signed: Uint8Array[] = [];
  return {
    signed,
    getPublicKey: async () => new Uint8Array(65),
    sign: async (message) => {
      signed.push(message);
      return answer() as Uint8Array;
    },
  };
}

function rsOf(r: bigint, s: bigint): Uint8Array {
  const rs = new Uint8Array(64);
  rs.set(bigIntToBytes(r, 32), 0);
  rs.set(bigIntToBytes(s, 32), 32);
  return rs;
}

describe("createDeviceSignature with Wycheproof P1363 signatures as a signer's output", () => {
  const valid = p1363.cases.filter((c) => c.result === "valid");
  const invalid = p1363.cases.filter((c) => c.result === "invalid");

  it("normalises every valid one (173) to low-S DER that still verifies", async () => {
    expect(valid).toHaveLength(173);
    let highS = 0;
    for (const c of valid) {
      const rs = hex(c.sig);
      if (!isLowS(rs)) highS++;
      const der = await createDeviceSignature(
        fixedSigner(() => rs),
        hex(c.msg),
      );
      expect(isLowS(fromDerSignatureHex(der))).toBe(true);
      expect(der).toMatch(/^30[0-9a-f]+$/);
      expect(verifyDeviceSignature(c.publicKey, hex(c.msg), der)).toBe(true);
    }
    expect(highS).toBeGreaterThan(0);
  });

  it("turns every invalid one (89) into a SignerError or a signature that does not verify", async () => {
    expect(invalid).toHaveLength(89);
    for (const c of invalid) {
      const signer = fixedSigner(() => hex(c.sig));
      const outcome = await createDeviceSignature(signer, hex(c.msg)).then(
        (der) => verifyDeviceSignature(c.publicKey, hex(c.msg), der),
        (error: unknown) => error,
      );
      if (outcome !== false) expect(outcome, `tcId ${c.tcId}`).toBeInstanceOf(SignerError);
    }
  });
});

describe("createDeviceSignature", () => {
  it("signs the UTF-8 bytes of a string and passes bytes through unchanged", async () => {
    const signer = fixedSigner(() => rsOf(1n, 2n));
    await createDeviceSignature(signer, "ä€😀");
    const bytes = new Uint8Array([0, 255, 7]);
    await createDeviceSignature(signer, bytes);
    expect(signer.signed[0]).toEqual(new TextEncoder().encode("ä€😀"));
    expect(signer.signed[1]).toEqual(bytes);
  });

  it("returns the low-S DER hex of a high-S signer output", async () => {
    const der = await createDeviceSignature(
      fixedSigner(() => rsOf(1n, p256Curve.n - 1n)),
      "x",
    );
    expect(der).toBe("3006020101020101");
  });

  it("accepts a Buffer from the signer", async () => {
    const der = await createDeviceSignature(
      fixedSigner(() => Buffer.from(rsOf(1n, 1n))),
      "x",
    );
    expect(der).toBe("3006020101020101");
  });

  it("produces signatures a software signer's key verifies", async () => {
    const signer = createSoftwareSigner();
    const key = toDeviceKeyHex(await signer.getPublicKey());
    const der = await createDeviceSignature(signer, "stringToSign");
    expect(verifyDeviceSignature(key, "stringToSign", der)).toBe(true);
  });

  it("normalises a WebCrypto signer's high-S output, so its signatures are low-S and verify", async () => {
    const keyPair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, [
      "sign",
      "verify",
    ]);
    const rawOutputs: Uint8Array[] = [];
    const signer: P256Signer = {
      getPublicKey: async () => new Uint8Array(await crypto.subtle.exportKey("raw", keyPair.publicKey)),
      sign: async (message) => {
        const rs = new Uint8Array(
          // The copy is a Uint8Array<ArrayBuffer>, the BufferSource TypeScript's DOM types ask for.
          await crypto.subtle.sign(
            { name: "ECDSA", hash: "SHA-256" },
            keyPair.privateKey,
            Uint8Array.from(message),
          ),
        );
        rawOutputs.push(rs);
        return rs;
      },
    };
    const key = toDeviceKeyHex(await signer.getPublicKey());
    for (let i = 0; i < 100; i++) {
      const der = await createDeviceSignature(signer, `challenge ${i}`);
      expect(isLowS(fromDerSignatureHex(der))).toBe(true);
      expect(verifyDeviceSignature(key, `challenge ${i}`, der)).toBe(true);
    }
    // WebCrypto does not normalise: about half its raw signatures are high-S.
    expect(rawOutputs.filter((rs) => !isLowS(rs)).length).toBeGreaterThan(10);
  });

  it("wraps a signer's exception in SignerError with the original as cause", async () => {
    const original = new Error("token removed");
    const rejecting = fixedSigner(() => {
      throw original;
    });
    const error = await createDeviceSignature(rejecting, "otp").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignerError);
    expect((error as SignerError).code).toBe("SIGNER_FAILED");
    expect((error as SignerError).cause).toBe(original);

    const throwingSync: P256Signer = {
      getPublicKey: async () => new Uint8Array(65),
      sign: () => {
        throw new Error("sync");
      },
    };
    await expect(createDeviceSignature(throwingSync, "otp")).rejects.toThrow(SignerError);
  });

  const garbage: [what: string, answer: () => unknown][] = [
    ["undefined", () => undefined],
    ["a string", () => "00".repeat(64)],
    ["an ArrayBuffer", () => new ArrayBuffer(64)],
    ["a number array", () => Array(64).fill(1)],
    ["empty bytes", () => new Uint8Array(0)],
    ["63 bytes", () => new Uint8Array(63).fill(1)],
    ["65 bytes", () => new Uint8Array(65).fill(1)],
    ["DER instead of r‖s", () => hex("3006020101020101")],
    ["all zeros", () => new Uint8Array(64)],
    ["r = 0", () => rsOf(0n, 1n)],
    ["s = 0", () => rsOf(1n, 0n)],
    ["r = n", () => rsOf(p256Curve.n, 1n)],
    ["s = n", () => rsOf(1n, p256Curve.n)],
    ["all 0xff", () => new Uint8Array(64).fill(0xff)],
  ];

  it.each(garbage)("throws SignerError when the signer returns %s", async (_what, answer) => {
    await expect(createDeviceSignature(fixedSigner(answer), "otp")).rejects.toThrow(SignerError);
  });

  it("throws TypeError for a message that is neither string nor bytes", async () => {
    await expect(
      createDeviceSignature(
        fixedSigner(() => rsOf(1n, 1n)),
        123456 as never,
      ),
    ).rejects.toThrow(TypeError);
  });
});
