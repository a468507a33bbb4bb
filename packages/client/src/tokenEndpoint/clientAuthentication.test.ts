import { afterEach, describe, expect, it } from "vitest";
import { type LoopbackServer, sendJson, startLoopbackServer } from "../../test/loopbackServer";
import { Client } from "../Client";
import type { ClientOptions } from "../options/ClientOptions";

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A token endpoint that records the exact request it received. */
async function tokenEndpoint() {
  server = await startLoopbackServer((_, response) =>
    sendJson(response, 200, { access_token: "at-1", token_type: "Bearer", expires_in: 3599 }),
  );
  return server;
}

async function logIn(options: Partial<ClientOptions>) {
  const server = await tokenEndpoint();
  const client = new Client({ baseUrl: server.url, clientId: "demo client", ...options });
  await client.auth.tokenManager.fetchTokenFromCredentials({ username: "u", password: "p" });
  const request = server.requests[0];
  if (request === undefined) throw new Error("no request");
  return { client, request };
}

/** The bytes a Basic header carries, decoded as the server sees them (RFC 7617 §2). */
function basicCredentials(header: string | undefined): Buffer {
  expect(header).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
  return Buffer.from((header ?? "").slice("Basic ".length), "base64");
}

describe("client authentication on the token endpoint", () => {
  it("sends client_id and client_secret in the form body by default, as Kontist's docs do", async () => {
    const { request } = await logIn({ clientSecret: "se:cr+et ü&=" });
    expect(request.headers.authorization).toBeUndefined();
    // The exact body: the form encoding of URLSearchParams, nothing else.
    expect(request.body).toBe(
      "grant_type=password&username=u&password=p&client_id=demo+client&client_secret=se%3Acr%2Bet+%C3%BC%26%3D",
    );
    expect(new URLSearchParams(request.body).get("client_secret")).toBe("se:cr+et ü&=");
  });

  it('"basic" sends HTTP Basic over the raw client_id:client_secret, never form-encoded inside', async () => {
    const { request } = await logIn({ clientSecret: "se:cr+et ü&=", clientAuthentication: "basic" });
    const bytes = basicCredentials(request.headers.authorization);
    expect(bytes.equals(Buffer.from("demo client:se:cr+et ü&=", "utf8"))).toBe(true);
    expect(bytes.toString("utf8")).not.toContain("%");
    expect(bytes.toString("utf8")).not.toContain("+et+"); // no form encoding of the space either
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: "password",
      username: "u",
      password: "p",
    });
  });

  it('"basic" takes a secret beyond Latin-1 as its UTF-8 bytes (btoa alone would throw)', async () => {
    const secret = "geheim-ü€😀-秘密";
    const { request } = await logIn({ clientSecret: secret, clientAuthentication: "basic" });
    const bytes = basicCredentials(request.headers.authorization);
    expect(bytes.equals(Buffer.from(`demo client:${secret}`, "utf8"))).toBe(true);
  });

  it('"basic" authenticates every grant: the refresh too', async () => {
    const server = await tokenEndpoint();
    const client = new Client({
      baseUrl: server.url,
      clientId: "c",
      clientSecret: "s€cret",
      clientAuthentication: "basic",
    });
    client.auth.tokenManager.setToken("at-0", "rt-0");
    await client.auth.tokenManager.refresh();
    const request = server.requests[0];
    expect(basicCredentials(request?.headers.authorization).toString("utf8")).toBe("c:s€cret");
    expect(request?.body).toBe("grant_type=refresh_token&refresh_token=rt-0");
  });

  it("a public client sends client_id only, whatever clientAuthentication says", async () => {
    for (const clientAuthentication of [undefined, "body", "basic"] as const) {
      const { request } = await logIn({ clientAuthentication });
      expect(request.headers.authorization).toBeUndefined();
      expect(request.body).toBe("grant_type=password&username=u&password=p&client_id=demo+client");
      await server?.close();
    }
  });

  it("refuses an unknown method, and Basic for a client id with a colon (RFC 7617 §2)", () => {
    expect(
      () => new Client({ clientId: "c", clientSecret: "s", clientAuthentication: "form" as never }),
    ).toThrow(/clientAuthentication/);
    expect(() => new Client({ clientId: "a:b", clientSecret: "s", clientAuthentication: "basic" })).toThrow(
      /must not contain ":"/,
    );
    expect(() => new Client({ clientId: "a:b", clientSecret: "s" })).not.toThrow();
  });
});
