import { graphQLErrorExtensions } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { answerWith, raw } from "../../test/answerWith";
import { isUnauthorizedGraphQLResponse } from "./isUnauthorizedGraphQLResponse";

const request = { method: "POST", path: "/api/graphql" } as const;
const json = (status: number, body: unknown) => answerWith(raw(status, JSON.stringify(body)), request);
const errors = (...statuses: number[]) => ({
  data: null,
  errors: statuses.map((status) => ({ message: "x", extensions: graphQLErrorExtensions(status) })),
});

describe("isUnauthorizedGraphQLResponse", () => {
  it("says yes to HTTP 401, and to an envelope with an error of extensions.status 401 in any status", async () => {
    expect(isUnauthorizedGraphQLResponse(await json(401, { message: "Unauthorized", status: 401 }))).toBe(
      true,
    );
    expect(isUnauthorizedGraphQLResponse(await answerWith(raw(401, "<html>"), request))).toBe(true);
    expect(isUnauthorizedGraphQLResponse(await json(200, errors(401)))).toBe(true);
    expect(isUnauthorizedGraphQLResponse(await json(200, errors(403, 401)))).toBe(true);
    expect(isUnauthorizedGraphQLResponse(await json(500, errors(401)))).toBe(true);
  });

  it("says no to other errors, to data, and to bodies that are not an envelope", async () => {
    expect(isUnauthorizedGraphQLResponse(await json(200, errors(403)))).toBe(false);
    expect(isUnauthorizedGraphQLResponse(await json(200, { data: { errors: 401 } }))).toBe(false);
    expect(
      isUnauthorizedGraphQLResponse(
        await json(200, { errors: [{ message: "x", extensions: { status: "401" } }] }),
      ),
    ).toBe(false);
    expect(isUnauthorizedGraphQLResponse(await answerWith(raw(200, '{"errors": ['), request))).toBe(false);
    expect(isUnauthorizedGraphQLResponse(await json(403, errors(403)))).toBe(false);
  });
});
