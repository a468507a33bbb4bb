import { Client, isKontistAuthError } from "@kontist-auth/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loggedIn, type Sandbox, startSandbox } from "../test/sandboxSupport";

// GraphQL as Kontist answers it, client against sandbox: errors with extensions { status, type }, an
// expired or unknown token reported as extensions.status 401 inside a 200, and public queries without a
// token.

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

const graphQLRequests = async () => (await sandbox.test.stats()).requests["POST /api/graphql"] ?? 0;

describe("GraphQL errors as Kontist sends them", () => {
  it("an in-body 401 renews once and retries once, for 50 concurrent queries", async () => {
    const client = await loggedIn(sandbox);
    const { refreshToken } = client.auth.tokenManager.token ?? {};
    // A token the client cannot read an expiry from, and the API does not know: only the answer tells.
    client.auth.tokenManager.setToken("an-access-token-the-api-does-not-know", refreshToken);
    const [refreshesBefore, requestsBefore] = [
      await sandbox.test.grantCount("refresh_token"),
      await graphQLRequests(),
    ];

    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        client.graphQL.rawQuery<{ viewer: { email: string } }>("{ viewer { email } }"),
      ),
    );
    expect(answers.every((data) => data.viewer.email === "demo@example.com")).toBe(true);
    expect((await sandbox.test.grantCount("refresh_token")) - refreshesBefore).toBe(1);
    expect((await graphQLRequests()) - requestsBefore).toBe(100); // each query once, then its one retry
  });

  it("a 401 that stays after the renewal is a GraphQLError with status 401 and Kontist's type", async () => {
    const client = new Client({ baseUrl: sandbox.url, clientId: "demo-client", clientSecret: "demo-secret" });
    client.auth.tokenManager.setToken("an-access-token-the-api-does-not-know"); // no refresh token: no renewal
    const error = await client.graphQL.rawQuery("{ viewer { id } }").catch((e: unknown) => e);
    expect(isKontistAuthError(error, "GRAPHQL_ERROR")).toBe(true);
    expect(error).toMatchObject({
      status: 401,
      type: "http://www.iana.org/assignments/http-status-codes#401",
    });
    expect(String(error)).not.toContain("an-access-token-the-api-does-not-know");
  });

  it("banking data without a confirmed token: status 403 on the entry and on the error", async () => {
    const client = await loggedIn(sandbox);
    const error = await client.graphQL
      .rawQuery("{ viewer { mainAccount { iban } } }")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "GRAPHQL_ERROR", status: 403 });
    expect(isKontistAuthError(error, "GRAPHQL_ERROR") && error.errors[0]?.status).toBe(403);
  });
});

describe("a Client without a token", () => {
  it("sends public queries unauthenticated; user fields answer 401", async () => {
    const client = new Client({ baseUrl: sandbox.url });
    expect(await client.graphQL.rawQuery("{ __typename }")).toEqual({ __typename: "Query" });
    const error = await client.graphQL.rawQuery("{ viewer { id } }").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "GRAPHQL_ERROR", status: 401 });
    await expect(client.auth.device.list()).rejects.toMatchObject({ code: "NO_TOKEN" });
  });
});
