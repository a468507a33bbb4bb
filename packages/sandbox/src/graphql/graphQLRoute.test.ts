import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { confirm, passwordToken } from "../../test/requests";
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

function graphQL(token: string | undefined, body: unknown): Promise<Response> {
  return fetch(`${sandbox.url}/api/graphql`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

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

  it("resolves mainAccount to null with a FORBIDDEN error without a confirmed token (200)", async () => {
    const response = await graphQL(plainToken, { query: viewerQuery });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { viewer: { id: expect.any(String), email: "demo@example.com", mainAccount: null } },
      errors: [
        {
          message: expect.stringContaining("confirmed token"),
          locations: [{ line: 1, column: 21 }],
          path: ["viewer", "mainAccount"],
          extensions: { code: "FORBIDDEN" },
        },
      ],
    });
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

  it("answers a syntax error with 400 and errors only", async () => {
    const response = await graphQL(plainToken, { query: "{ viewer { " });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toEqual({
      errors: [
        {
          message: expect.stringContaining("Syntax Error"),
          locations: [{ line: 1, column: 12 }],
          extensions: { code: "GRAPHQL_PARSE_FAILED" },
        },
      ],
    });
  });

  it("answers a validation error with 400, and at most 3 errors", async () => {
    const one = await graphQL(plainToken, { query: "{ viewer { password } }" });
    expect(one.status).toBe(400);
    expect((await one.json()).errors).toEqual([
      expect.objectContaining({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }),
    ]);
    const many = await graphQL(plainToken, { query: "{ a b c d e f g }" });
    expect(many.status).toBe(400);
    const body = await many.json();
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(3);
  });

  it("answers bad variables or an unknown operation with 400 BAD_USER_INPUT", async () => {
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
          extensions: { code: "BAD_USER_INPUT" },
        },
      ],
    });
    const operation = await graphQL(plainToken, { query: viewerQuery, operationName: "Nope" });
    expect(operation.status).toBe(400);
  });

  it("answers a mutation, a subscription and a query nested thousands deep with 400", async () => {
    for (const query of ["mutation { viewer }", "subscription { viewer { id } }"]) {
      const response = await graphQL(plainToken, { query });
      expect(response.status).toBe(400);
      expect((await response.json()).errors[0].extensions).toEqual({ code: "GRAPHQL_VALIDATION_FAILED" });
    }
    const deep = await graphQL(plainToken, { query: "{a".repeat(4_999) });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({
      errors: [{ message: "The query is nested too deeply.", extensions: { code: "BAD_REQUEST" } }],
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
          extensions: { code: "BAD_REQUEST" },
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
        { message: expect.stringContaining("Invalid body"), extensions: { code: "BAD_REQUEST" } },
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

  it("needs a bearer token (401, as every /api/user route)", async () => {
    for (const token of [undefined, "not-a-jwt"]) {
      const response = await graphQL(token, { query: viewerQuery });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
      expect(await response.json()).toEqual({ message: expect.any(String), status: 401 });
    }
  });

  it("answers 1,000 concurrent queries", async () => {
    const responses = await Promise.all(
      Array.from({ length: 1000 }, () => graphQL(plainToken, { query: "{ viewer { id } }" })),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const stats = await (await fetch(`${sandbox.url}/sandbox/stats`)).json();
    expect(stats.requests["POST /api/graphql"]).toBe(1000);
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
    const response = await fetch(`${custom.url}/api/graphql`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ query: "{ viewer { mainAccount { iban balance } } }" }),
    });
    const { data } = await response.json();
    expect(isValidIban(data.viewer.mainAccount.iban)).toBe(true);
    expect(data.viewer.mainAccount.balance).toBe(0);
    await custom.close();
  });
});
