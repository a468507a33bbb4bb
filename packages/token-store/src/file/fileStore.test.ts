import { createHash, randomBytes } from "node:crypto";
import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { isKontistAuthError } from "@kontist-auth/protocol/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeTokenStoreContract } from "../testing/describeTokenStoreContract";
import { sampleStoredToken } from "../testing/sampleStoredToken";
import { fileStore } from "./fileStore";

const posix = process.platform !== "win32";
let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "file-store-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describeTokenStoreContract("fileStore", () => {
  const path = join(directory, "tokens.json");
  return { store: fileStore(path), peer: () => fileStore(path) };
});

describeTokenStoreContract("fileStore with an encryption key", () => {
  const path = join(directory, "tokens.json");
  const encryptionKey = randomBytes(32);
  return { store: fileStore(path, { encryptionKey }), peer: () => fileStore(path, { encryptionKey }) };
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe("fileStore: the file", () => {
  it.runIf(posix)("is created at open with mode 0600, in a new directory with mode 0700", async () => {
    const path = join(directory, "nested/deeper/tokens.json");
    const store = fileStore(path);
    expect(store.path).toBe(path);
    await expect(store.get("k")).resolves.toBeUndefined();
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(join(directory, "nested/deeper"))).toBe(0o700);
    expect(await modeOf(join(directory, "nested"))).toBe(0o700);
    await store.set("k", sampleStoredToken());
    expect(await modeOf(path)).toBe(0o600);
  });

  it("is a JSON map of keys in a versioned envelope, and holds nothing else beside it", async () => {
    const path = join(directory, "tokens.json");
    const store = fileStore(path);
    await store.set("kontist-auth:a", sampleStoredToken(1));
    await store.set("kontist-auth:b", sampleStoredToken(2));
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({
      format: "@kontist-auth/token-store",
      version: 1,
      tokens: { "kontist-auth:a": sampleStoredToken(1), "kontist-auth:b": sampleStoredToken(2) },
    });
    const lock = await store.lock("kontist-auth:a");
    await lock.release();
    expect(await readdir(directory)).toEqual(["tokens.json"]);
  });

  it.runIf(posix)("keeps a tighter mode, never widening it", async () => {
    const path = join(directory, "tokens.json");
    await fileStore(path).set("k", sampleStoredToken(1));
    await chmod(path, 0o400);
    await fileStore(path).set("k", sampleStoredToken(2));
    expect(await modeOf(path)).toBe(0o400);
    expect(await fileStore(path).get("k")).toEqual(sampleStoredToken(2));
  });

  it.runIf(posix)(
    "refuses a file others may read or write with TOKEN_STORE_INSECURE, and leaves it",
    async () => {
      const path = join(directory, "tokens.json");
      await fileStore(path).set("k", sampleStoredToken());
      for (const mode of [0o644, 0o660, 0o602]) {
        await chmod(path, mode);
        const store = fileStore(path);
        const error = await store.get("k").catch((e: unknown) => e);
        expect(isKontistAuthError(error, "TOKEN_STORE_INSECURE")).toBe(true);
        expect(String(error)).toContain("chmod 600");
        await expect(store.set("k", sampleStoredToken(2))).rejects.toMatchObject({
          code: "TOKEN_STORE_INSECURE",
        });
        expect(await modeOf(path)).toBe(mode);
      }
      // Widened after it was opened: refused on the next read too.
      await chmod(path, 0o600);
      const store = fileStore(path);
      await store.get("k");
      await chmod(path, 0o644);
      await expect(store.get("k")).rejects.toMatchObject({ code: "TOKEN_STORE_INSECURE" });
    },
  );

  it.runIf(posix)("refuses a symbolic link", async () => {
    const target = join(directory, "real.json");
    await fileStore(target).set("k", sampleStoredToken());
    await symlink(target, join(directory, "link.json"));
    await expect(fileStore(join(directory, "link.json")).get("k")).rejects.toMatchObject({
      code: "TOKEN_STORE_INSECURE",
    });
  });

  it.each([
    ["empty", ""],
    ["not JSON", '{"tokens": {"k": "refresh-secret"'],
    ["another program's JSON", JSON.stringify({ token: "refresh-secret" })],
    ["a newer version", JSON.stringify({ format: "@kontist-auth/token-store", version: 2, tokens: {} })],
    [
      "one with a broken entry",
      JSON.stringify({
        format: "@kontist-auth/token-store",
        version: 1,
        tokens: { k: { a: "refresh-secret" } },
      }),
    ],
  ])("refuses a file that is %s with TOKEN_STORE_CORRUPT, and never overwrites it", async (_, content) => {
    const path = join(directory, "tokens.json");
    await writeFile(path, content, { mode: 0o600 });
    const store = fileStore(path);
    for (const attempt of [
      () => store.get("k"),
      () => store.set("k", sampleStoredToken()),
      () => store.delete("k"),
      () => store.get("other"),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(isKontistAuthError(error, "TOKEN_STORE_CORRUPT")).toBe(true);
      expect(String(error)).toContain(path);
      expect(String(error)).not.toContain("refresh-secret");
      expect((error as Error).cause).toBeUndefined();
    }
    expect(await readFile(path, "utf8")).toBe(content);
  });

  it("creates the file again when it was removed after open", async () => {
    const path = join(directory, "tokens.json");
    const store = fileStore(path);
    await store.set("k", sampleStoredToken());
    await rm(path);
    await expect(store.get("k")).resolves.toBeUndefined();
    await store.set("k", sampleStoredToken(2));
    expect(await store.get("k")).toEqual(sampleStoredToken(2));
  });

  it("turns an I/O failure into TOKEN_STORE_ERROR naming the file, with the system error as cause", async () => {
    const blocker = join(directory, "not-a-directory");
    await writeFile(blocker, "");
    const path = join(blocker, "tokens.json");
    const error = await fileStore(path)
      .set("k", sampleStoredToken())
      .catch((e: unknown) => e);
    expect(isKontistAuthError(error, "TOKEN_STORE_ERROR")).toBe(true);
    expect(String(error)).toContain(path);
    expect((error as Error & { cause: { code: string } }).cause.code).toMatch(/^E/);
    expect(String(error)).not.toContain("refresh-1");
  });

  it("fails a write whose directory became unusable, and keeps the tokens it had", async () => {
    const inner = join(directory, "inner");
    const path = join(inner, "tokens.json");
    const store = fileStore(path);
    await store.set("k", sampleStoredToken(1));
    await rm(inner, { recursive: true });
    await writeFile(inner, "now a file");
    await expect(store.set("k", sampleStoredToken(2))).rejects.toMatchObject({ code: "TOKEN_STORE_ERROR" });
  });

  it("removes the temporary files of dead writers at open", async () => {
    const path = join(directory, "tokens.json");
    await fileStore(path).set("k", sampleStoredToken());
    const dead = join(directory, `.tokens.json.${2 ** 22 + 12345}.0123456789abcdef.tmp`);
    const deadLock = join(directory, `.tokens.json.lock.${2 ** 22 + 12345}.0123456789abcdef.tmp`);
    const alive = join(directory, `.tokens.json.${process.pid}.0123456789abcdef.tmp`);
    const unrelated = join(directory, ".other.json.99999999.0123456789abcdef.tmp");
    for (const file of [dead, deadLock, alive, unrelated]) await writeFile(file, "{");
    await fileStore(path).get("k");
    expect((await readdir(directory)).sort()).toEqual(
      [
        ".other.json.99999999.0123456789abcdef.tmp",
        `.tokens.json.${process.pid}.0123456789abcdef.tmp`,
        "tokens.json",
      ].sort(),
    );
  });

  it("takes over the write lock of a dead process at once", async () => {
    const path = join(directory, "tokens.json");
    await fileStore(path).set("k", sampleStoredToken(1));
    const holder = { pid: 2 ** 22 + 54321, host: (await import("node:os")).hostname(), owner: "dead" };
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ ...holder, acquiredAt: Date.now(), expiresAt: Date.now() + 60_000 }),
      { mode: 0o600 },
    );
    const started = Date.now();
    await fileStore(path).set("k", sampleStoredToken(2));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await fileStore(path).get("k")).toEqual(sampleStoredToken(2));
  });
});

describe("fileStore: lock files and the directory (finding 19)", () => {
  /** Runs as root: can make a file "another user's" with chown, as a planted file would be. */
  const root = process.getuid?.() === 0;
  /** A uid that is not ours (nobody). */
  const otherUid = 65534;
  const keyLockPath = (path: string, key: string) =>
    `${path}.${createHash("sha256").update(key).digest("hex").slice(0, 32)}.lock`;
  /** A lock far in the future held by a live process (pid 1), as another user could plant it. */
  const plantedLock = () =>
    JSON.stringify({
      pid: 1,
      host: hostname(),
      owner: "planted",
      acquiredAt: Date.now(),
      expiresAt: Date.now() + 365 * 24 * 3_600_000,
    });

  it.runIf(posix && root)(
    "finding 19: refuses a far-future lock file planted by another user, instead of waiting on it",
    async () => {
      const path = join(directory, "tokens.json");
      const store = fileStore(path);
      await store.set("k", sampleStoredToken(1));
      const planted = keyLockPath(path, "k");
      await writeFile(planted, plantedLock(), { mode: 0o600 });
      await chown(planted, otherUid, otherUid);
      const started = Date.now();
      const error = await store.lock("k", { timeoutMs: 2_000 }).catch((e: unknown) => e);
      expect(isKontistAuthError(error, "TOKEN_STORE_INSECURE")).toBe(true);
      expect(String(error)).toContain(planted);
      expect(String(error)).toContain(`uid ${otherUid}`);
      expect(Date.now() - started).toBeLessThan(1_000);

      // The write lock too: a write is refused at once rather than blocked for its whole timeout.
      await writeFile(`${path}.lock`, plantedLock(), { mode: 0o600 });
      await chown(`${path}.lock`, otherUid, otherUid);
      const writeStarted = Date.now();
      await expect(store.set("k", sampleStoredToken(2))).rejects.toMatchObject({
        code: "TOKEN_STORE_INSECURE",
      });
      expect(Date.now() - writeStarted).toBeLessThan(1_000);
      expect(await store.get("k")).toEqual(sampleStoredToken(1));
    },
  );

  it.runIf(posix)(
    "finding 19: refuses a lock file others may write, and one that is a symbolic link",
    async () => {
      const path = join(directory, "tokens.json");
      const store = fileStore(path);
      await store.set("k", sampleStoredToken(1));
      const planted = keyLockPath(path, "k");
      await writeFile(planted, plantedLock(), { mode: 0o600 });
      await chmod(planted, 0o666);
      await expect(store.lock("k", { timeoutMs: 2_000 })).rejects.toMatchObject({
        code: "TOKEN_STORE_INSECURE",
        message: expect.stringContaining("mode 0666"),
      });
      await rm(planted);
      const elsewhere = join(directory, "elsewhere.json");
      await writeFile(elsewhere, plantedLock(), { mode: 0o600 });
      await symlink(elsewhere, planted);
      await expect(store.lock("k", { timeoutMs: 2_000 })).rejects.toMatchObject({
        code: "TOKEN_STORE_INSECURE",
        message: expect.stringContaining("symbolic link"),
      });
      await rm(planted);
      const lock = await store.lock("k", { timeoutMs: 2_000 });
      expect(await modeOf(planted)).toBe(0o600);
      await lock.release();
    },
  );

  it.runIf(posix)(
    "finding 19: refuses a directory others may write to, sticky or not, unless allowSharedDirectory",
    async () => {
      const shared = join(directory, "shared");
      await mkdir(shared);
      const path = join(shared, "tokens.json");
      for (const mode of [0o777, 0o1777, 0o770, 0o1730]) {
        await chmod(shared, mode);
        const error = await fileStore(path)
          .get("k")
          .catch((e: unknown) => e);
        expect(isKontistAuthError(error, "TOKEN_STORE_INSECURE")).toBe(true);
        expect(String(error)).toContain(shared);
        expect(String(error)).toContain("allowSharedDirectory");
        await expect(fileStore(path).set("k", sampleStoredToken())).rejects.toMatchObject({
          code: "TOKEN_STORE_INSECURE",
        });
      }
      expect(await readdir(shared)).toEqual([]);

      // Taken knowingly: the store works, and still checks its own files.
      const store = fileStore(path, { allowSharedDirectory: true });
      await store.set("k", sampleStoredToken(1));
      expect(await store.get("k")).toEqual(sampleStoredToken(1));
      expect(await modeOf(path)).toBe(0o600);
      expect(() => fileStore(path, { allowSharedDirectory: "yes" as unknown as boolean })).toThrow(TypeError);

      await chmod(shared, 0o755);
      await expect(fileStore(path).get("k")).resolves.toEqual(sampleStoredToken(1));
    },
  );

  it.runIf(posix && root)("finding 19: refuses a directory that belongs to another user", async () => {
    const theirs = join(directory, "theirs");
    await mkdir(theirs, { mode: 0o700 });
    await chown(theirs, otherUid, otherUid);
    const error = await fileStore(join(theirs, "tokens.json"))
      .get("k")
      .catch((e: unknown) => e);
    expect(isKontistAuthError(error, "TOKEN_STORE_INSECURE")).toBe(true);
    expect(String(error)).toContain(`uid ${otherUid}`);
  });
});

describe("fileStore: encryption", () => {
  it("writes only ciphertext, with a fresh IV each time, and reads it back", async () => {
    const path = join(directory, "tokens.json");
    const encryptionKey = randomBytes(32);
    const store = fileStore(path, { encryptionKey });
    await store.set("kontist-auth:c", sampleStoredToken(1));
    const first = JSON.parse(await readFile(path, "utf8"));
    await store.set("kontist-auth:c", sampleStoredToken(1));
    const second = JSON.parse(await readFile(path, "utf8"));
    expect(Object.keys(first).sort()).toEqual(["cipher", "ciphertext", "format", "iv", "version"]);
    expect(first).toMatchObject({ format: "@kontist-auth/token-store", version: 1, cipher: "A256GCM" });
    expect(Buffer.from(first.iv, "base64url")).toHaveLength(12);
    expect(second.iv).not.toBe(first.iv);
    const text = await readFile(path, "utf8");
    for (const secret of ["refresh-1", "sig-1", "kontist-auth:c", "users"])
      expect(text).not.toContain(secret);
    expect(await fileStore(path, { encryptionKey }).get("kontist-auth:c")).toEqual(sampleStoredToken(1));
  });

  it("refuses a wrong key, no key, an altered file, and a plain file with a key: TOKEN_STORE_DECRYPTION_FAILED", async () => {
    const path = join(directory, "tokens.json");
    const encryptionKey = randomBytes(32);
    await fileStore(path, { encryptionKey }).set("k", sampleStoredToken());
    const content = await readFile(path, "utf8");
    const wrongKey = randomBytes(32);
    const failures = [
      await fileStore(path, { encryptionKey: wrongKey })
        .get("k")
        .catch((e: unknown) => e),
      await fileStore(path)
        .get("k")
        .catch((e: unknown) => e),
      await fileStore(path, { encryptionKey: wrongKey })
        .set("k", sampleStoredToken(2))
        .catch((e: unknown) => e),
    ];
    const document = JSON.parse(content);
    const altered = Buffer.from(document.ciphertext, "base64url");
    altered[0] = (altered[0] ?? 0) ^ 1;
    await writeFile(path, JSON.stringify({ ...document, ciphertext: altered.toString("base64url") }));
    failures.push(
      await fileStore(path, { encryptionKey })
        .get("k")
        .catch((e: unknown) => e),
    );
    await writeFile(path, JSON.stringify({ ...document, cipher: "A128GCM" }));
    const unknownCipher = await fileStore(path, { encryptionKey })
      .get("k")
      .catch((e: unknown) => e);
    expect(isKontistAuthError(unknownCipher, "TOKEN_STORE_CORRUPT")).toBe(true);

    const plain = join(directory, "plain.json");
    await fileStore(plain).set("k", sampleStoredToken());
    failures.push(
      await fileStore(plain, { encryptionKey })
        .get("k")
        .catch((e: unknown) => e),
    );

    for (const error of failures) {
      expect(isKontistAuthError(error, "TOKEN_STORE_DECRYPTION_FAILED")).toBe(true);
      const shown = `${String(error)} ${JSON.stringify(error)}`;
      for (const secret of [encryptionKey, wrongKey]) {
        expect(shown).not.toContain(secret.toString("hex"));
        expect(shown).not.toContain(secret.toString("base64"));
        expect(shown).not.toContain(secret.toString("base64url"));
      }
      expect(shown).not.toContain("refresh-1");
    }
  });

  it.each([
    ["16 bytes", randomBytes(16)],
    ["a string", "k".repeat(32)],
  ])("refuses a key of %s with a TypeError", (_, encryptionKey) => {
    expect(() =>
      fileStore(join(directory, "t.json"), { encryptionKey: encryptionKey as Uint8Array }),
    ).toThrow(TypeError);
  });
});

describe("fileStore: arguments", () => {
  it("refuses an empty path", () => {
    expect(() => fileStore("")).toThrow(TypeError);
  });

  it("creates the directory only once, even for concurrent first calls", async () => {
    const path = join(directory, "a/tokens.json");
    const store = fileStore(path);
    await Promise.all([store.get("k"), store.get("k"), store.set("k", sampleStoredToken())]);
    expect((await lstat(path)).isFile()).toBe(true);
    await mkdir(join(directory, "a"), { recursive: true });
  });
});
