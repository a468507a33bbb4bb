import { verify } from "node:crypto";
import type * as kontistCrypto from "@kontist-auth/crypto";
import { type P256Signer, verifyDeviceSignature } from "@kontist-auth/crypto";
import { fromDerSignatureHex, isLowS } from "@kontist-auth/crypto/backend";
import { describeSignerConformance, nodePublicKey } from "@kontist-auth/crypto/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bundleForBrowser } from "../../test/browser/bundle";
import { launchChromium } from "../../test/browser/chromium";
import { type PageServer, startPageServer } from "../../test/browser/pageServer";
import { asUser, loggedIn, type Sandbox, startSandbox } from "../../test/sandboxSupport";

// The WebCrypto signer and the IndexedDB key storage (issue 4, item 1) in a real Chromium: keys are made
// and used in the page; Node checks the signatures, and a Node client binds a device with a page's key.

/**
 * What the test page exposes. Code in `page.evaluate` runs in the page, so it can use only this. Bytes
 * cross the page boundary as base64.
 */
interface TestWindow {
  kontistCrypto: typeof kontistCrypto;
  signers: {
    /** Creates a WebCrypto signer in the page; returns its handle. */
    create(): Promise<string>;
    publicKey(handle: string): Promise<string>;
    sign(handle: string, message: string): Promise<string>;
  };
  base64: { encode(bytes: Uint8Array): string; decode(text: string): Uint8Array };
}

const pageScript = `
import * as kontistCrypto from "@kontist-auth/crypto";

const base64 = {
  encode(bytes) {
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  },
  decode(text) {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  },
};
const handles = new Map();
window.kontistCrypto = kontistCrypto;
window.base64 = base64;
window.signers = {
  async create() {
    const handle = String(handles.size);
    handles.set(handle, await kontistCrypto.createWebCryptoSigner());
    return handle;
  },
  async publicKey(handle) {
    return base64.encode(await handles.get(handle).getPublicKey());
  },
  async sign(handle, message) {
    return base64.encode(await handles.get(handle).sign(base64.decode(message)));
  },
};
`;

let app: PageServer;
let browser: Browser;
let page: Page;
let sandbox: Sandbox;

beforeAll(async () => {
  [app, browser, sandbox] = await Promise.all([
    bundleForBrowser(pageScript).then(startPageServer),
    launchChromium(),
    startSandbox({ port: 0 }),
  ]);
  page = await (await browser.newContext()).newPage();
  await openApp(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await sandbox?.close();
});

async function openApp(target: Page) {
  await target.goto(`${app.url}/`);
  await target.waitForFunction(() => "signers" in window);
}

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));

/** A Node-side P256Signer whose key lives in the Chromium page: every call is forwarded to the page. */
async function pageSigner(): Promise<P256Signer> {
  const handle = await page.evaluate(() => (window as unknown as TestWindow).signers.create());
  return {
    getPublicKey: async () =>
      fromBase64(await page.evaluate((h) => (window as unknown as TestWindow).signers.publicKey(h), handle)),
    sign: async (message) =>
      fromBase64(
        await page.evaluate(({ h, m }) => (window as unknown as TestWindow).signers.sign(h, m), {
          h: handle,
          m: toBase64(message),
        }),
      ),
  };
}

describeSignerConformance("WebCrypto signer (Chromium)", async () => ({ signer: await pageSigner() }), {
  timeout: 60_000,
});

describe("WebCrypto signer in Chromium", () => {
  let context: Page;

  beforeEach(async () => {
    await context?.context().close();
    context = await (await browser.newContext()).newPage(); // a fresh profile: empty IndexedDB
    await openApp(context);
  });

  it("keeps the private key non-extractable; its signatures verify in Node", async () => {
    const result = await context.evaluate(async () => {
      const { kontistCrypto: kc, base64 } = window as unknown as TestWindow;
      const signer = await kc.createWebCryptoSigner();
      const { privateKey, publicKey } = signer.keyPair;
      const refused = async (format: "pkcs8" | "jwk") =>
        crypto.subtle.exportKey(format, privateKey).then(
          () => "exported",
          (error: Error) => error.name,
        );
      const big = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
      const messages = ["123456", "Grüße 🔐 ÿ", ""];
      return {
        secureContext: isSecureContext,
        privateExtractable: privateKey.extractable,
        privateUsages: privateKey.usages,
        algorithm: privateKey.algorithm,
        publicExtractable: publicKey.extractable,
        pkcs8: await refused("pkcs8"),
        jwk: await refused("jwk"),
        key: kc.toDeviceKeyHex(await signer.getPublicKey()),
        signatures: await Promise.all(messages.map((m) => kc.createDeviceSignature(signer, m))),
        messages,
        bigSignature: await kc.createDeviceSignature(signer, big),
        raw: base64.encode(await signer.sign(new TextEncoder().encode("raw"))),
      };
    });

    expect(result).toMatchObject({
      secureContext: true,
      privateExtractable: false,
      privateUsages: ["sign"],
      algorithm: { name: "ECDSA", namedCurve: "P-256" },
      publicExtractable: true,
      pkcs8: "InvalidAccessError",
      jwk: "InvalidAccessError",
    });
    result.messages.forEach((message, i) => {
      const signature = result.signatures[i] as string;
      expect(verifyDeviceSignature(result.key, message, signature), message).toBe(true);
      expect(isLowS(fromDerSignatureHex(signature))).toBe(true);
    });
    const big = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
    expect(verifyDeviceSignature(result.key, big, result.bigSignature)).toBe(true);
    expect(verifyDeviceSignature(result.key, "other", result.signatures[0] as string)).toBe(false);
    const key = nodePublicKey(Buffer.from(result.key, "hex"));
    expect(
      verify("sha256", Buffer.from("raw"), { key, dsaEncoding: "ieee-p1363" }, fromBase64(result.raw)),
    ).toBe(true);
  });

  it("saves the key pair in IndexedDB, loads it after a reload, signs with the same key, deletes it", async () => {
    const saved = await context.evaluate(async () => {
      const { kontistCrypto: kc } = window as unknown as TestWindow;
      const signer = await kc.createWebCryptoSigner();
      await kc.saveKeyPair("device", signer.keyPair);
      return kc.toDeviceKeyHex(await signer.getPublicKey());
    });

    await context.reload();
    await context.waitForFunction(() => "signers" in window);

    const loaded = await context.evaluate(async () => {
      const { kontistCrypto: kc } = window as unknown as TestWindow;
      const keyPair = await kc.loadKeyPair("device");
      if (keyPair === undefined) return undefined;
      const signer = await kc.createWebCryptoSigner({ keyPair });
      return {
        key: kc.toDeviceKeyHex(await signer.getPublicKey()),
        extractable: keyPair.privateKey.extractable,
        pkcs8: await crypto.subtle.exportKey("pkcs8", keyPair.privateKey).then(
          () => "exported",
          (error: Error) => error.name,
        ),
        signature: await kc.createDeviceSignature(signer, "after reload"),
      };
    });
    expect(loaded).toMatchObject({ key: saved, extractable: false, pkcs8: "InvalidAccessError" });
    expect(verifyDeviceSignature(saved, "after reload", loaded?.signature ?? "")).toBe(true);

    const afterDelete = await context.evaluate(async () => {
      const { kontistCrypto: kc } = window as unknown as TestWindow;
      await kc.deleteKeyPair("device");
      return (await kc.loadKeyPair("device")) === undefined;
    });
    expect(afterDelete).toBe(true);

    await context.reload();
    await context.waitForFunction(() => "signers" in window);
    expect(
      await context.evaluate(
        async () =>
          (await (window as unknown as TestWindow).kontistCrypto.loadKeyPair("device")) === undefined,
      ),
    ).toBe(true);
  });

  it("keeps ids and databases apart, replaces on save, and tolerates unknown ids", async () => {
    const result = await context.evaluate(async () => {
      const { kontistCrypto: kc } = window as unknown as TestWindow;
      const keyOf = async (keyPair: CryptoKeyPair | undefined) =>
        keyPair && kc.toDeviceKeyHex(new Uint8Array(await crypto.subtle.exportKey("raw", keyPair.publicKey)));
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => kc.createWebCryptoSigner()));
      if (a === undefined || b === undefined || c === undefined) throw new Error("no signers");
      await Promise.all([
        kc.saveKeyPair("a", a.keyPair),
        kc.saveKeyPair("b", b.keyPair),
        kc.saveKeyPair("a", c.keyPair, { dbName: "elsewhere" }),
        // An existing database without the store: the helper adds it by a version upgrade.
        kc.saveKeyPair("a", a.keyPair, { dbName: "elsewhere", storeName: "second-store" }),
      ]);
      const before = {
        a: await keyOf(await kc.loadKeyPair("a")),
        b: await keyOf(await kc.loadKeyPair("b")),
        elsewhere: await keyOf(await kc.loadKeyPair("a", { dbName: "elsewhere" })),
        secondStore: await keyOf(
          await kc.loadKeyPair("a", { dbName: "elsewhere", storeName: "second-store" }),
        ),
        unknown: await kc.loadKeyPair("nope"),
      };
      await kc.saveKeyPair("b", c.keyPair); // replaces
      await kc.deleteKeyPair("nope");
      await kc.deleteKeyPair("a");
      const databases = (await indexedDB.databases()).map((d) => `${d.name}@${d.version}`).sort();
      return {
        expected: { a: await keyOf(a.keyPair), b: await keyOf(b.keyPair), c: await keyOf(c.keyPair) },
        before,
        after: {
          a: await kc.loadKeyPair("a"),
          b: await keyOf(await kc.loadKeyPair("b")),
          elsewhere: await keyOf(await kc.loadKeyPair("a", { dbName: "elsewhere" })),
        },
        databases,
      };
    });
    const { a, b, c } = result.expected;
    expect(result.before).toEqual({ a, b, elsewhere: c, secondStore: a, unknown: undefined });
    expect(result.after).toEqual({ a: undefined, b: c, elsewhere: c });
    expect(result.databases).toEqual(["elsewhere@2", "kontist-auth@1"]);
  });

  it("reports typed errors: a corrupt stored value, no WebCrypto, a key pair that is not ECDSA P-256", async () => {
    const codes = await context.evaluate(async () => {
      const { kontistCrypto: kc } = window as unknown as TestWindow;
      const codeOf = (promise: Promise<unknown>) =>
        promise.then(
          () => "resolved",
          (error: { code?: string }) => error.code,
        );
      // Write something that is not a key pair where the helper keeps key pairs.
      const { keyPair } = await kc.createWebCryptoSigner();
      await kc.saveKeyPair("x", keyPair);
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open("kontist-auth");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction("key-pairs", "readwrite");
          tx.objectStore("key-pairs").put({ privateKey: "not a key" }, "corrupt");
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
        };
      });
      const ecdh = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, [
        "deriveBits",
      ])) as CryptoKeyPair;
      return {
        corrupt: await codeOf(kc.loadKeyPair("corrupt")),
        noWebCrypto: await codeOf(kc.createWebCryptoSigner({ crypto: {} as Crypto })),
        ecdh: await codeOf(kc.createWebCryptoSigner({ keyPair: ecdh })),
        noIndexedDb: await (async () => {
          // As in a browser that refuses storage; this page is thrown away after the test.
          Object.defineProperty(window, "indexedDB", { value: undefined, configurable: true });
          return codeOf(kc.loadKeyPair("x"));
        })(),
      };
    });
    expect(codes).toEqual({
      corrupt: "KEY_STORAGE_FAILED",
      noWebCrypto: "WEBCRYPTO_UNAVAILABLE",
      ecdh: "INVALID_KEY_PAIR",
      noIndexedDb: "INDEXEDDB_UNAVAILABLE",
    });
  });

  it("binds a device with a key that lives in the page and gets a confirmed token", async () => {
    const client = await loggedIn(sandbox);
    const signer = await pageSigner();
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "Chromium",
      ...asUser(sandbox),
    });
    const token = await client.auth.device.confirm({ signer, deviceId });
    expect(token.confirmed).toBe(true);
    expect(token.claims?.cnf).toEqual({ kid: deviceId });
  });
});

describe("a WebCrypto-only browser bundle", () => {
  // The P-256 generator's x coordinate: any bundle with @noble/curves' P-256 contains it.
  const nobleMarker = /6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296|noble/i;

  it("does not contain @noble/curves (a software-signer bundle does)", async () => {
    const webCryptoOnly = await bundleForBrowser(
      `import { createDeviceSignature, createWebCryptoSigner, deleteKeyPair, loadKeyPair, saveKeyPair, toDeviceKeyHex } from "@kontist-auth/crypto";
       window.sdk = { createDeviceSignature, createWebCryptoSigner, deleteKeyPair, loadKeyPair, saveKeyPair, toDeviceKeyHex };`,
    );
    const software = await bundleForBrowser(
      `import { createSoftwareSigner } from "@kontist-auth/crypto"; window.sdk = createSoftwareSigner;`,
    );
    expect(webCryptoOnly).not.toMatch(nobleMarker);
    expect(software).toMatch(nobleMarker);
    expect(webCryptoOnly.length).toBeLessThan(16_000);
  });
});
