import { randomUUID } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClientOptions } from "@kontist-auth/client";
import { fileStore } from "@kontist-auth/token-store/file";
import { redisStore } from "@kontist-auth/token-store-redis";
import { connectRedis } from "../../../token-store-redis/test/index";
import { demoUser } from "../sandboxSupport";
import { type FlowRun, knownSecretKey } from "./FlowRun";

// Token stores holding real tokens, and their failures: an encrypted file store read with the wrong
// key, a file store whose file is truncated, has garbage appended or is readable by others, and a Redis
// store whose value is truncated or of another type. Each store and each error is printed and rendered.

/** A client of `run` logged in with `tokenStore`, so the store holds a real token. */
async function storing(run: FlowRun, tokenStore: ClientOptions["tokenStore"]) {
  const client = run.client({ tokenStore, tokenStoreKey: "hygiene" });
  run.token(await client.auth.tokenManager.fetchTokenFromCredentials({ ...demoUser }));
  run.show("token store in use", tokenStore);
  return client;
}

const loadWith = (run: FlowRun, tokenStore: ClientOptions["tokenStore"]) => () =>
  run.client({ tokenStore, tokenStoreKey: "hygiene" }).auth.tokenManager.loadToken();

async function fileStoreFlows(run: FlowRun): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "secret-hygiene-"));
  try {
    const encryptionKey = knownSecretKey("file store encryption key");
    run.ledger.addKey("encryption key", encryptionKey);
    const encrypted = join(directory, "encrypted.json");
    await storing(run, fileStore(encrypted, { encryptionKey }));
    const wrongKey = knownSecretKey("not the file store's encryption key");
    run.ledger.addKey("encryption key", wrongKey);
    await run.failing(
      "file store, wrong encryption key",
      loadWith(run, fileStore(encrypted, { encryptionKey: wrongKey })),
    );

    const plain = join(directory, "plain.json");
    await storing(run, fileStore(plain));
    const content = await readFile(plain, "utf8");
    for (const [flow, broken] of [
      ["file store, truncated", content.slice(0, Math.floor(content.length * 0.6))],
      ["file store, garbage appended", `${content}x`],
      [
        "file store, a token of the wrong type",
        content.replace(/"accessToken": "/, '"accessToken": 7, "was": "'),
      ],
    ] as const) {
      await writeFile(plain, broken, { mode: 0o600 });
      await run.failing(flow, loadWith(run, fileStore(plain)));
    }
    await writeFile(plain, content, { mode: 0o600 });
    await chmod(plain, 0o644);
    await run.failing("file store, readable by others", loadWith(run, fileStore(plain)));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function redisStoreFlows(run: FlowRun, redisUrl: string): Promise<void> {
  const connection = connectRedis(redisUrl);
  const prefix = `secret-hygiene:${randomUUID()}:`;
  try {
    const store = redisStore(connection, { prefix });
    await storing(run, store);
    const tokenKey = `${prefix}token:hygiene`;
    const value = (await connection.get(tokenKey)) ?? "";
    await connection.set(tokenKey, value.slice(0, Math.floor(value.length * 0.6)));
    await run.failing("Redis store, truncated value", loadWith(run, store));
    await connection.set(tokenKey, `${value}x`);
    await run.failing("Redis store, garbage appended", loadWith(run, store));
    await connection.del(tokenKey);
    await connection.lpush(tokenKey, value);
    await run.failing("Redis store, a value of another type", loadWith(run, store));
  } finally {
    const keys = await connection.keys(`${prefix}*`);
    if (keys.length > 0) await connection.del(...keys);
    connection.disconnect();
  }
}

/** The file store's and the Redis store's flows. */
export async function tokenStoreFlows(run: FlowRun, redisUrl: string): Promise<void> {
  await fileStoreFlows(run);
  await redisStoreFlows(run, redisUrl);
}
