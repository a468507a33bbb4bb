import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSoftwareSigner, type P256Signer, SignerError, type SoftwareSigner } from "../src";
import { describeSignerConformance } from "../src/testing";

// The README's custom-signer example, run for real: a signer that forwards to a remote signing service
// (here a loopback HTTP server holding software keys, standing in for a cloud KMS or an HSM appliance)
// passes the conformance kit. Keep `createRemoteSigner` identical to the README.

/** A signer whose key lives in a signing service, at `keyUrl` (GET: public key, POST sign, DELETE). */
function createRemoteSigner(keyUrl: string): P256Signer & { deleteKey(): Promise<void> } {
  const call = async (path: string, init?: RequestInit): Promise<Uint8Array> => {
    const response = await fetch(new URL(path, keyUrl), init);
    // A KontistAuthError (code SIGNER_FAILED): what the SDK and the kit expect a signer to reject with.
    if (!response.ok) throw new SignerError(`The signing service answered ${response.status}.`);
    return new Uint8Array(await response.arrayBuffer());
  };
  return {
    // 65 bytes 04‖X‖Y and 64 bytes r‖s: the service speaks the signer contract's own formats.
    getPublicKey: () => call("."),
    sign: (message) => call("sign", { method: "POST", body: new Uint8Array(message) }),
    deleteKey: async () => {
      await call(".", { method: "DELETE" });
    },
  };
}

/** The stand-in signing service: `POST /keys` makes a key and answers its URL path. */
async function startSigningService() {
  const keys = new Map<string, SoftwareSigner>();
  const body = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  };
  const server = createServer(async (request, response) => {
    const [, collection, id, action] = new URL(request.url ?? "/", "http://localhost").pathname.split("/");
    const key = id === undefined ? undefined : keys.get(id);
    const send = (bytes: Uint8Array) =>
      response.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes);
    if (collection !== "keys") return response.writeHead(404).end();
    if (request.method === "POST" && id === undefined) {
      const newId = randomUUID();
      keys.set(newId, createSoftwareSigner());
      return response.writeHead(201).end(`/keys/${newId}/`);
    }
    if (key === undefined || id === undefined) return response.writeHead(404).end();
    if (request.method === "GET" && action === "") return send(await key.getPublicKey());
    if (request.method === "POST" && action === "sign") return send(await key.sign(await body(request)));
    if (request.method === "DELETE" && action === "") {
      keys.delete(id);
      return response.writeHead(204).end();
    }
    response.writeHead(405).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keys,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let service: Awaited<ReturnType<typeof startSigningService>>;

beforeAll(async () => {
  service = await startSigningService();
});

afterAll(async () => {
  // The kit deletes every key it created: the shared one after its suite, the fresh one in its check.
  expect(service.keys.size).toBe(0);
  await service?.close();
});

describeSignerConformance("a custom signer forwarding to a remote signing service", async () => {
  const response = await fetch(`${service.url}/keys`, { method: "POST" });
  const signer = createRemoteSigner(new URL(await response.text(), service.url).href);
  return { signer, deleteKey: signer.deleteKey };
});

it("createRemoteSigner here is the README's, word for word", () => {
  const example = /\/\*\* A signer whose key lives[\s\S]*?\n}\n/;
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8").match(example)?.[0];
  const test = readFileSync(new URL(import.meta.url), "utf8").match(example)?.[0];
  expect(readme).toBeDefined();
  expect(readme).toBe(test);
});
