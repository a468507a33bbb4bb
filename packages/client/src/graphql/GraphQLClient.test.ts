import { ResponseValidationError } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeOAuthApi, startFakeOAuthApi } from "../../test/fakeOAuthApi";
import { Client } from "../Client";
import { GraphQLError, isGraphQLError } from "../errors/GraphQLError";
import { HttpError } from "../errors/HttpError";

let fake: FakeOAuthApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function loggedIn() {
  fake = await startFakeOAuthApi();
  const client = new Client({ baseUrl: fake.url, clientId: "c", clientSecret: "s" });
  const { accessToken, refreshToken } = fake.login();
  client.auth.tokenManager.setToken(accessToken, refreshToken);
  return { fake, client, accessToken };
}

describe("GraphQLClient.rawQuery", () => {
  it("posts the query and variables with the access token and returns data", async () => {
    const { fake, client, accessToken } = await loggedIn();
    const data = await client.graphQL.rawQuery<{ viewer: { id: string } }>(
      "query ($n: Int) { viewer { id } }",
      {
        n: 1,
      },
    );
    expect(data.viewer.id).toBe("user-1");
    const [request] = fake.requests;
    expect(request?.url).toBe("/api/graphql");
    expect(request?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(JSON.parse(request?.body ?? "")).toEqual({
      query: "query ($n: Int) { viewer { id } }",
      variables: { n: 1 },
    });
    await client.graphQL.rawQuery("{ viewer { id } }");
    expect(JSON.parse(fake.requests[1]?.body ?? "")).toEqual({ query: "{ viewer { id } }" });
  });

  it("turns errors in the envelope into a GraphQLError listing the messages, with the partial data", async () => {
    const { fake, client, accessToken } = await loggedIn();
    fake.graphQLAnswer = {
      status: 200,
      body: {
        data: { viewer: { id: "user-1", mainAccount: null } },
        errors: [
          { message: "mainAccount needs a confirmed token", path: ["viewer", "mainAccount"] },
          { message: `Bad token ${accessToken}`, extensions: { token: accessToken } },
        ],
      },
    };
    const error = await client.graphQL
      .rawQuery("{ viewer { id mainAccount { iban } } }")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(isGraphQLError(error)).toBe(true);
    const graphQLError = error as GraphQLError;
    expect(graphQLError.code).toBe("GRAPHQL_ERROR");
    expect(graphQLError.status).toBeUndefined();
    expect(graphQLError.message).toBe(
      "POST /api/graphql answered with 2 GraphQL errors: mainAccount needs a confirmed token; Bad token [redacted]",
    );
    expect(graphQLError.errors.map((entry) => entry.message)).toEqual([
      "mainAccount needs a confirmed token",
      "Bad token [redacted]",
    ]);
    expect(graphQLError.errors[0]?.path).toEqual(["viewer", "mainAccount"]);
    expect(JSON.stringify(graphQLError.errors)).not.toContain(accessToken);
    expect(graphQLError.data).toEqual({ viewer: { id: "user-1", mainAccount: null } });
  });

  it("reads a GraphQLError from a 400 envelope, and an HttpError from another error body", async () => {
    const { fake, client } = await loggedIn();
    fake.graphQLAnswer = { status: 400, body: { errors: [{ message: 'Cannot query field "x"' }] } };
    await expect(client.graphQL.rawQuery("{ x }")).rejects.toMatchObject({
      code: "GRAPHQL_ERROR",
      status: 400,
      data: undefined,
    });
    fake.graphQLAnswer = { status: 503, body: { message: "Maintenance", status: 503 } };
    const error = await client.graphQL.rawQuery("{ x }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, serverMessage: "Maintenance" });
  });

  it("refuses an answer without data or errors", async () => {
    const { fake, client } = await loggedIn();
    fake.graphQLAnswer = { status: 200, body: {} };
    await expect(client.graphQL.rawQuery("{ viewer { id } }")).rejects.toMatchObject({
      code: "INVALID_RESPONSE",
      field: "data",
    });
    fake.graphQLAnswer = { status: 200, body: { data: "nope" } };
    await expect(client.graphQL.rawQuery("{ viewer { id } }")).rejects.toBeInstanceOf(
      ResponseValidationError,
    );
  });

  it("refuses an empty query or one of 10,000 characters, sending nothing", async () => {
    const { fake, client } = await loggedIn();
    await expect(client.graphQL.rawQuery("  ")).rejects.toThrow(TypeError);
    await expect(client.graphQL.rawQuery(`{ viewer { id } }${" ".repeat(9_983)}`)).rejects.toThrow(TypeError);
    expect(fake.requests).toHaveLength(0);
  });
});
