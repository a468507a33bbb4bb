import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { basic, demo, formEncodedBasic, jwtPayload, other, postToken } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const password = { grant_type: "password", username: demo.email, password: demo.password };
const bodyClient = { client_id: demo.clientId, client_secret: demo.clientSecret };

async function expectOAuth2Error(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = await response.json();
  expect(body).toEqual({ error, error_description: expect.any(String) });
  return body as { error: string; error_description: string };
}

describe("POST /api/oauth/token, password grant", () => {
  it("issues a bearer token with a refresh token for the client's scopes (client in the body)", async () => {
    const response = await postToken(sandbox, { ...password, ...bodyClient });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: "Bearer",
      expires_in: 3599,
      refresh_token: expect.stringMatching(/^[\w-]{43}$/),
      scope: "accounts users subscriptions transfers offline",
    });
  });

  it("authenticates the client with HTTP Basic", async () => {
    const response = await postToken(sandbox, password, basic(demo.clientId, demo.clientSecret));
    expect(response.status).toBe(200);
    const token = await response.json();
    expect(jwtPayload(token.access_token)).toMatchObject({ client_id: "demo-client" });
  });

  it("accepts a Basic client that repeats its client_id in the body", async () => {
    const response = await postToken(
      sandbox,
      { ...password, client_id: demo.clientId },
      basic(demo.clientId, demo.clientSecret),
    );
    expect(response.status).toBe(200);
  });

  it("grants the requested subset of scopes, and no refresh token without offline", async () => {
    const response = await postToken(sandbox, { ...password, ...bodyClient, scope: "accounts transfers" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 3599,
      scope: "accounts transfers",
    });
    expect(jwtPayload(body.access_token).scope).toBe("accounts transfers");
  });

  it("matches the username case-insensitively and logs the other seeded user in as themself", async () => {
    const demoToken = await (
      await postToken(sandbox, { ...password, username: "DEMO@example.com", ...bodyClient })
    ).json();
    const otherToken = await (
      await postToken(sandbox, {
        ...password,
        username: other.email,
        password: other.password,
        ...bodyClient,
      })
    ).json();
    expect(jwtPayload(demoToken.access_token).sub).not.toBe(jwtPayload(otherToken.access_token).sub);
  });

  it("refuses a wrong password or an unknown user with invalid_grant (400)", async () => {
    const wrong = await postToken(sandbox, { ...password, password: "wrong", ...bodyClient });
    const body = await expectOAuth2Error(wrong, 400, "invalid_grant");
    expect(body.error_description).not.toContain("wrong-password");
    const unknown = await postToken(sandbox, { ...password, username: "nobody@example.com", ...bodyClient });
    expect(await expectOAuth2Error(unknown, 400, "invalid_grant")).toEqual(body);
  });

  it("refuses a scope the client does not have with invalid_scope (400)", async () => {
    const response = await postToken(sandbox, { ...password, ...bodyClient, scope: "accounts clients" });
    const body = await expectOAuth2Error(response, 400, "invalid_scope");
    expect(body.error_description).toContain("clients");
    const unknown = await postToken(sandbox, { ...password, ...bodyClient, scope: "s3cr3t-scope" });
    expect((await expectOAuth2Error(unknown, 400, "invalid_scope")).error_description).not.toContain(
      "s3cr3t",
    );
  });
});

describe("POST /api/oauth/token, expires_in", () => {
  it("is 3599 for the default 3600-second token, as Kontist answers, with exp still iat + 3600", async () => {
    const body = await (await postToken(sandbox, { ...password, ...bodyClient })).json();
    expect(body.expires_in).toBe(3599);
    const { iat, exp } = jwtPayload(body.access_token) as { iat: number; exp: number };
    expect(exp - iat).toBe(3600);
  });
});

describe("POST /api/oauth/token, the three forms of client authentication", () => {
  // Characters that form-encoding changes, so raw and form-encoded Basic differ.
  const special = { id: "app.eu-1", secret: "p+ss w%rd&ü~/=" };
  let custom: RunningSandbox;
  beforeAll(async () => {
    custom = await startSandbox({
      port: 0,
      clients: [{ id: special.id, secret: special.secret, grants: ["password"], scopes: ["accounts"] }],
    });
  });
  afterAll(() => custom.close());

  const forms: [string, (secret: string) => [Record<string, string>, Record<string, string>]][] = [
    ["in the form body (Kontist's docs)", (secret) => [{ client_id: special.id, client_secret: secret }, {}]],
    ["as raw HTTP Basic (Kontist's SDK)", (secret) => [{}, basic(special.id, secret)]],
    ["as form-encoded HTTP Basic (RFC 6749 §2.3.1)", (secret) => [{}, formEncodedBasic(special.id, secret)]],
  ];
  for (const [name, credentials] of forms) {
    it(`accepts the client ${name}, and refuses a wrong secret with invalid_client`, async () => {
      const [body, headers] = credentials(special.secret);
      const ok = await postToken(custom, { ...password, ...body }, headers);
      expect(ok.status).toBe(200);
      expect(jwtPayload((await ok.json()).access_token)).toMatchObject({ client_id: special.id });

      const [wrongBody, wrongHeaders] = credentials(`${special.secret}x`);
      const refused = await postToken(custom, { ...password, ...wrongBody }, wrongHeaders);
      const error = await expectOAuth2Error(refused, 401, "invalid_client");
      expect(JSON.stringify(error)).not.toContain("p+ss");
    });
  }
});

describe("POST /api/oauth/token, client authentication", () => {
  it("answers a wrong secret with invalid_client (401), with WWW-Authenticate when Basic was used", async () => {
    const viaBody = await postToken(sandbox, {
      ...password,
      client_id: demo.clientId,
      client_secret: "nope",
    });
    await expectOAuth2Error(viaBody, 401, "invalid_client");
    expect(viaBody.headers.get("www-authenticate")).toBeNull();

    const viaBasic = await postToken(sandbox, password, basic(demo.clientId, "nope"));
    await expectOAuth2Error(viaBasic, 401, "invalid_client");
    expect(viaBasic.headers.get("www-authenticate")).toMatch(/^Basic realm="kontist-sandbox"/);
  });

  it("answers an unknown client, a missing secret or no client at all with invalid_client (401)", async () => {
    await expectOAuth2Error(
      await postToken(sandbox, { ...password, client_id: "nobody", client_secret: "x" }),
      401,
      "invalid_client",
    );
    await expectOAuth2Error(
      await postToken(sandbox, { ...password, client_id: demo.clientId }),
      401,
      "invalid_client",
    );
    await expectOAuth2Error(await postToken(sandbox, password), 401, "invalid_client");
    await expectOAuth2Error(
      await postToken(sandbox, password, { Authorization: "Basic !!!" }),
      401,
      "invalid_client",
    );
  });

  it("refuses two authentication methods at once with invalid_request (400)", async () => {
    const response = await postToken(
      sandbox,
      { ...password, ...bodyClient },
      basic(demo.clientId, demo.clientSecret),
    );
    await expectOAuth2Error(response, 400, "invalid_request");
    const otherId = await postToken(
      sandbox,
      { ...password, client_id: "demo-public" },
      basic(demo.clientId, demo.clientSecret),
    );
    await expectOAuth2Error(otherId, 400, "invalid_request");
  });

  it("refuses a grant the client may not use with unauthorized_client (400)", async () => {
    const response = await postToken(sandbox, { ...password, client_id: "demo-public" });
    await expectOAuth2Error(response, 400, "unauthorized_client");
  });

  it("refuses a secret sent for a public client with invalid_client (401)", async () => {
    const response = await postToken(sandbox, {
      ...password,
      client_id: "demo-public",
      client_secret: "guess",
    });
    await expectOAuth2Error(response, 401, "invalid_client");
  });
});

describe("POST /api/oauth/token, malformed requests", () => {
  it("answers an unknown grant_type with unsupported_grant_type (400)", async () => {
    for (const grantType of [
      "client_credentials",
      "implicit",
      "urn:ietf:params:oauth:grant-type:device_code",
    ]) {
      await expectOAuth2Error(
        await postToken(sandbox, { grant_type: grantType, ...bodyClient }),
        400,
        "unsupported_grant_type",
      );
    }
  });

  it("answers a missing grant_type or field with invalid_request naming the field, not its value", async () => {
    const noGrant = await expectOAuth2Error(await postToken(sandbox, bodyClient), 400, "invalid_request");
    expect(noGrant.error_description).toContain("grant_type");
    const noPassword = await expectOAuth2Error(
      await postToken(sandbox, { grant_type: "password", username: demo.email, ...bodyClient }),
      400,
      "invalid_request",
    );
    expect(noPassword.error_description).toBe("Invalid body: field `password` is missing.");
  });

  it("answers a JSON body or no content type with invalid_request (400)", async () => {
    const json = await fetch(`${sandbox.url}/api/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...password, ...bodyClient }),
    });
    await expectOAuth2Error(json, 400, "invalid_request");
    const none = await fetch(`${sandbox.url}/api/oauth/token`, { method: "POST" });
    await expectOAuth2Error(none, 400, "invalid_request");
  });

  it("answers a repeated parameter with invalid_request (400)", async () => {
    const response = await fetch(`${sandbox.url}/api/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `grant_type=password&username=a&username=b&password=p&client_id=${demo.clientId}&client_secret=${demo.clientSecret}`,
    });
    const body = await expectOAuth2Error(response, 400, "invalid_request");
    expect(body.error_description).toBe("Parameter `username` is repeated.");
  });

  it("answers a body over 64 KiB with 413 in the OAuth2 shape", async () => {
    const response = await postToken(sandbox, { ...password, ...bodyClient, scope: "a".repeat(70_000) });
    await expectOAuth2Error(response, 413, "invalid_request");
  });

  it("answers GET with 405 JSON and an Allow header", async () => {
    const response = await fetch(`${sandbox.url}/api/oauth/token`);
    await expectOAuth2Error(response, 405, "invalid_request");
    expect(response.headers.get("allow")).toBe("POST");
  });
});
