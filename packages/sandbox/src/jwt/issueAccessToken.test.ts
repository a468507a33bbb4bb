import { createPublicKey, verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demo, passwordToken, uuid } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

const decode = (part: string | undefined) =>
  JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8"));

describe("access tokens", () => {
  it("are ES256 JWTs with sub, scope, client_id, iat, exp, jti, sid, verifiable with the published key", async () => {
    const { access_token } = await passwordToken(sandbox);
    const [header, payload, signature] = access_token.split(".");
    expect(decode(header)).toEqual({ alg: "ES256", typ: "at+jwt", kid: sandbox.publicJwk.kid });
    const claims = decode(payload);
    expect(claims).toEqual({
      iss: sandbox.url,
      sub: uuid,
      scope: "accounts users subscriptions transfers offline",
      client_id: demo.clientId,
      iat: expect.any(Number),
      exp: claims.iat + 3600,
      jti: uuid,
      sid: uuid, // the sign-in session (finding 12)
    });
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5);

    const jwks = await (await fetch(`${sandbox.url}/sandbox/jwks.json`)).json();
    expect(jwks).toEqual({ keys: [sandbox.publicJwk] });
    expect(sandbox.publicJwk).toEqual({
      kty: "EC",
      crv: "P-256",
      x: expect.any(String),
      y: expect.any(String),
      kid: expect.any(String),
      alg: "ES256",
      use: "sig",
    });
    const key = createPublicKey({ key: jwks.keys[0], format: "jwk" });
    const valid = verify(
      "sha256",
      Buffer.from(`${header}.${payload}`),
      { key, dsaEncoding: "ieee-p1363" },
      Buffer.from(signature ?? "", "base64url"),
    );
    expect(valid).toBe(true);
  });

  it("publish their key only at the test-support path /sandbox/jwks.json, not counted (Kontist has no JWKS)", async () => {
    sandbox.reset();
    const jwks = await fetch(`${sandbox.url}/sandbox/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get("content-type")).toMatch(/^application\/json/);
    const wellKnown = await fetch(`${sandbox.url}/.well-known/jwks.json`);
    expect(wellKnown.status).toBe(404);
    expect(await wellKnown.json()).toEqual({ message: "Not found.", status: 404 });
    expect(await sandbox.test.stats()).toEqual({ requests: {}, grants: {} });
  });

  it("carry the seeded user's stable id as sub", async () => {
    const { access_token } = await passwordToken(sandbox);
    expect(decode(access_token.split(".")[1]).sub).toBe("9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01");
  });
});
