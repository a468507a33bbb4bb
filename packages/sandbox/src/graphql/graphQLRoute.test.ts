import { graphQLErrorExtensions, sleep } from "@kontist-auth/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { confirm, passwordToken, postGraphQL } from "../../test/requests";
import { type RunningSandbox, startSandbox } from "../index";
import { isValidIban } from "../seeds/sandboxIban";

let sandbox: RunningSandbox;
let plainToken: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  sandbox.reset();
  plainToken = (await passwordToken(sandbox)).access_token;
});

const viewerQuery = "{ viewer { id email mainAccount { iban balance } } }";
const graphQL = (token: string | undefined, body: unknown) => postGraphQL(sandbox, token, body);
/** Kontist's `extensions` of an error standing for `status`: exactly `{ status, type }`. */
const extensions = (status: number) => ({
  status,
  type: `http://www.iana.org/assignments/http-status-codes#${status}`,
});

describe("POST /api/graphql", () => {
  it("answers viewer with mainAccount for a confirmed token", async () => {
    const { token } = await confirm(sandbox, plainToken);
    const response = await graphQL(token, { query: viewerQuery });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      data: {
        viewer: {
          id: "9b6b1c1e-5d8a-4f0e-9c39-0d1f3a2b7c01",
          email: "demo@example.com",
          mainAccount: { iban: "DE89370400440532013000", balance: 123456 },
        },
      },
    });
  });

  it("resolves mainAccount to null with a 403 error without a confirmed token (HTTP 200)", async () => {
    const response = await graphQL(plainToken, { query: viewerQuery });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { viewer: { id: expect.any(String), email: "demo@example.com", mainAccount: null } },
      errors: [
        {
          message: expect.stringContaining("confirmed token"),
          locations: [{ line: 1, column: 21 }],
          path: ["viewer", "mainAccount"],
          extensions: extensions(403),
        },
      ],
    });
    expect(extensions(403)).toEqual(graphQLErrorExtensions(403));
  });

  it("answers viewer without banking data for any token, with variables and an operationName", async () => {
    const response = await graphQL(plainToken, {
      query:
        "query A { viewer { email } } query B($withId: Boolean!) { viewer { id @include(if: $withId) } }",
      variables: { withId: true },
      operationName: "B",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { viewer: { id: expect.any(String) } } });
  });

  it("answers a syntax error with 400 and errors only, status 400 in extensions", async () => {
    const response = await graphQL(plainToken, { query: "{ viewer { " });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: expect.stringContaining("Syntax Error"),
          locations: [{ line: 1, column: 12 }],
          extensions: extensions(400),
        },
      ],
    });
  });

  it("answers a validation error with 400, and at most 3 errors", async () => {
    const one = await graphQL(plainToken, { query: "{ viewer { password } }" });
    expect(one.status).toBe(400);
    expect((await one.json()).errors).toEqual([
      {
        message: expect.stringContaining("password"),
        locations: expect.any(Array),
        extensions: extensions(400),
      },
    ]);
    const many = await graphQL(plainToken, { query: "{ a b c d e f g }" });
    expect(many.status).toBe(400);
    const body = await many.json();
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(3);
    for (const error of body.errors) expect(error.extensions).toEqual(extensions(400));
  });

  it("answers bad variables or an unknown operation with 400, never echoing the value", async () => {
    const variables = await graphQL(plainToken, {
      query: "query ($withId: Boolean!) { viewer { id @include(if: $withId) } }",
      variables: { withId: "s3cr3t-value" },
    });
    expect(variables.status).toBe(400);
    expect(await variables.json()).toEqual({
      errors: [
        {
          message: 'Variable "$withId" got a value that does not fit its type.',
          locations: [{ line: 1, column: 8 }],
          extensions: extensions(400),
        },
      ],
    });
    const operation = await graphQL(plainToken, { query: viewerQuery, operationName: "Nope" });
    expect(operation.status).toBe(400);
    expect(await operation.json()).toEqual({
      errors: [{ message: expect.stringContaining("operationName"), extensions: extensions(400) }],
    });
    const missing = await graphQL(plainToken, {
      query: "mutation ($name: String!) { createDeviceBindingRequest(deviceName: $name) { id } }",
    });
    expect(missing.status).toBe(400);
    expect((await missing.json()).errors[0].extensions).toEqual(extensions(400));
  });

  it("refuses a subscription with a clear 400, and a field the Mutation type lacks", async () => {
    const subscription = await graphQL(plainToken, { query: "subscription { newTransaction { id } }" });
    expect(subscription.status).toBe(400);
    expect(await subscription.json()).toEqual({
      errors: [
        {
          message: expect.stringContaining("Subscriptions are not served over HTTP POST"),
          locations: [{ line: 1, column: 1 }],
          extensions: extensions(400),
        },
      ],
    });
    const mutation = await graphQL(plainToken, { query: "mutation { viewer }" });
    expect(mutation.status).toBe(400);
    expect((await mutation.json()).errors[0]).toEqual({
      message: expect.stringContaining('"viewer"'),
      locations: expect.any(Array),
      extensions: extensions(400),
    });
  });

  it("refuses a query nested thousands deep with 400", async () => {
    const deep = await graphQL(plainToken, { query: "{a".repeat(4_999) });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({
      errors: [{ message: "The query is nested too deeply.", extensions: extensions(400) }],
    });
  });

  it("refuses a query of 10,000 characters or more with 400, and runs one of 9,999", async () => {
    const padded = (length: number) => viewerQuery.padEnd(length, " ");
    const tooLong = await graphQL(plainToken, { query: padded(10_000) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toEqual({
      errors: [
        {
          message: "The query is too long: it must be under 10,000 characters.",
          extensions: extensions(400),
        },
      ],
    });
    expect((await graphQL(plainToken, { query: padded(9_999) })).status).toBe(200);
  });

  it("answers a body without a query with 400 in the GraphQL envelope", async () => {
    for (const body of [{}, { query: "" }, { query: 1 }, { query: viewerQuery, variables: [1] }]) {
      const response = await graphQL(plainToken, body);
      expect(response.status).toBe(400);
      expect((await response.json()).errors).toEqual([
        { message: expect.stringContaining("Invalid body"), extensions: extensions(400) },
      ]);
    }
  });

  it("answers malformed JSON with 400 and a non-JSON body with 415, as { message, status }", async () => {
    const broken = await graphQL(plainToken, "{ not json");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ message: "The body is not valid JSON.", status: 400 });
    const text = await fetch(`${sandbox.url}/api/graphql`, {
      method: "POST",
      headers: { Authorization: `Bearer ${plainToken}` },
      body: viewerQuery,
    });
    expect(text.status).toBe(415);
  });

  it("answers 1,000 concurrent queries", async () => {
    const responses = await Promise.all(
      Array.from({ length: 1000 }, () => graphQL(plainToken, { query: "{ viewer { id } }" })),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const stats = await sandbox.test.stats();
    expect(stats.requests["POST /api/graphql"]).toBe(1000);
  });
});

describe("POST /api/graphql without a valid token", () => {
  const unauthorized = (path: string[], line: number, column: number) => ({
    message: expect.any(String),
    locations: [{ line, column }],
    path,
    extensions: extensions(401),
  });

  it("runs: the user's fields resolve to null with a 401 error inside a 200 answer", async () => {
    const forged = `Bearer ${plainToken.slice(0, -4)}AAAA`;
    for (const authorization of [undefined, "Basic ZGVtbzpkZW1v", "Bearer", "Bearer not.a.jwt", forged]) {
      const response = await fetch(`${sandbox.url}/api/graphql`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(authorization === undefined ? {} : { Authorization: authorization }),
        },
        body: JSON.stringify({ query: viewerQuery }),
      });
      expect(response.status, String(authorization)).toBe(200);
      expect(response.headers.get("www-authenticate")).toBeNull();
      const body = await response.json();
      expect(body).toEqual({ data: { viewer: null }, errors: [unauthorized(["viewer"], 1, 3)] });
      expect(JSON.stringify(body)).not.toContain("not.a.jwt");
    }
  });

  it("says whether the token was missing or invalid", async () => {
    const missing = await (await graphQL(undefined, { query: "{ viewer { id } }" })).json();
    expect(missing.errors[0].message).toBe("An access token is required (Authorization: Bearer <token>).");
    const invalid = await (await graphQL("not-a-jwt", { query: "{ viewer { id } }" })).json();
    expect(invalid.errors[0].message).toBe("The access token is invalid or has expired.");
  });

  it("answers an expired token with status 401 inside a 200 answer", async () => {
    const shortLived = await startSandbox({ port: 0, accessTokenTtl: 1 });
    try {
      const { access_token } = await passwordToken(shortLived);
      expect((await postGraphQL(shortLived, access_token, { query: "{ viewer { id } }" })).status).toBe(200);
      await sleep(1100);
      const response = await postGraphQL(shortLived, access_token, { query: "{ viewer { id } }" });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        data: { viewer: null },
        errors: [unauthorized(["viewer"], 1, 3)],
      });
    } finally {
      await shortLived.close();
    }
  });

  it("answers public fields and introspection", async () => {
    const response = await graphQL(undefined, {
      query: "{ __typename __schema { queryType { name } mutationType { name } subscriptionType { name } } }",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: {
        __typename: "Query",
        __schema: {
          queryType: { name: "Query" },
          mutationType: { name: "Mutation" },
          subscriptionType: { name: "Subscription" },
        },
      },
    });
  });

  it("nulls data for a non-null root field, with one 401 error per field (at most 3)", async () => {
    const mutation = await graphQL(undefined, {
      query: 'mutation { createDeviceBindingRequest(deviceName: "Pixel") { id } }',
    });
    expect(mutation.status).toBe(200);
    expect(await mutation.json()).toEqual({
      data: null,
      errors: [unauthorized(["createDeviceBindingRequest"], 1, 12)],
    });
    const query = await graphQL(undefined, {
      query:
        "{ a: viewer { id } b: viewer { id } c: getDeviceBindingRequest { id } d: listBoundDevices { id } }",
    });
    expect(query.status).toBe(200);
    const body = await query.json();
    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(3);
    for (const error of body.errors) expect(error.extensions).toEqual(extensions(401));
  });
});

describe("GraphQL with custom user seeds", () => {
  it("makes up a valid IBAN and a zero balance for a user seeded without them", async () => {
    const custom = await startSandbox({
      users: [{ email: "me@example.com", password: "pw", mobileNumber: "+49000" }],
    });
    const login = await fetch(`${custom.url}/api/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "password",
        username: "me@example.com",
        password: "pw",
        client_id: "demo-client",
        client_secret: "demo-secret",
      }),
    });
    const { access_token } = await login.json();
    const { token } = await confirm(custom, access_token);
    const response = await postGraphQL(custom, token, {
      query: "{ viewer { mainAccount { iban balance } } }",
    });
    const { data } = await response.json();
    expect(isValidIban(data.viewer.mainAccount.iban)).toBe(true);
    expect(data.viewer.mainAccount.balance).toBe(0);
    await custom.close();
  });
});
