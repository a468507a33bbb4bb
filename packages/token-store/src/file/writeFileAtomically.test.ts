import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomically } from "./writeFileAtomically";

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "atomic-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("writeFileAtomically", () => {
  it("replaces the file, with exactly the mode given, whatever the umask, leaving no temporary file", async () => {
    const path = join(directory, "file.json");
    await writeFile(path, "old");
    const umask = process.umask(0o077);
    try {
      await writeFileAtomically(path, "new", 0o600);
    } finally {
      process.umask(umask);
    }
    expect(await readFile(path, "utf8")).toBe("new");
    if (process.platform !== "win32") expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(directory)).toEqual(["file.json"]);
  });

  it("leaves the old file and no temporary file when the write fails", async () => {
    const path = join(directory, "file.json");
    await writeFile(path, "old");
    // Renaming a file onto a non-empty directory fails after the temporary file was written.
    const blocked = join(directory, "blocked");
    await writeFile(path, "old");
    await import("node:fs/promises").then(({ mkdir }) => mkdir(join(blocked, "child"), { recursive: true }));
    await expect(writeFileAtomically(blocked, "new", 0o600)).rejects.toMatchObject({
      code: expect.any(String),
    });
    expect((await readdir(directory)).sort()).toEqual(["blocked", "file.json"]);
    expect(await readFile(path, "utf8")).toBe("old");
  });
});
