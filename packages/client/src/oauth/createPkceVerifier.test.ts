import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCodeChallenge } from "./createCodeChallenge";
import { createPkceVerifier } from "./createPkceVerifier";
import { createState } from "./createState";

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe.each([
  ["createPkceVerifier", createPkceVerifier],
  ["createState", createState],
])("%s", (_, create) => {
  it("gives 43 base64url characters (32 bytes) from WebCrypto's CSPRNG, never from Math.random", () => {
    const random = vi.spyOn(Math, "random");
    const getRandomValues = vi.spyOn(globalThis.crypto, "getRandomValues");
    const values = Array.from({ length: 1000 }, () => create());
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(values).size).toBe(1000);
    expect(getRandomValues).toHaveBeenCalledTimes(1000);
    expect((getRandomValues.mock.calls[0]?.[0] as Uint8Array | undefined)?.length).toBe(32);
    expect(random).not.toHaveBeenCalled();
  });

  it("refuses to work without WebCrypto rather than fall back to something weaker", () => {
    vi.stubGlobal("crypto", undefined);
    expect(() => create()).toThrow(TypeError);
  });
});

describe("createCodeChallenge", () => {
  it("matches RFC 7636 Appendix B", async () => {
    await expect(createCodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).resolves.toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("is BASE64URL(SHA256(verifier)) for fresh verifiers and the longest ones", async () => {
    for (const verifier of [createPkceVerifier(), "~._-".repeat(32)]) {
      const expected = createHash("sha256").update(verifier).digest("base64url");
      await expect(createCodeChallenge(verifier)).resolves.toBe(expected);
    }
  });

  it.each([["v".repeat(42)], ["v".repeat(129)], [`${"v".repeat(42)}+`], [`${"v".repeat(42)}=`]])(
    "refuses the verifier %s (RFC 7636 §4.1)",
    async (verifier) => {
      await expect(createCodeChallenge(verifier)).rejects.toThrow(TypeError);
    },
  );
});
