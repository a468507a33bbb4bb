import { deviceGraphQL } from "@kontist-auth/protocol";
import { describe, expect, it } from "vitest";
import { isQueryOnlyDocument } from "./isQueryOnlyDocument";

describe("isQueryOnlyDocument", () => {
  it.each([
    "{ viewer { email } }",
    "query { viewer { email } }",
    "query viewer { viewer { email } }",
    "query ($first: Int = 10, $after: String) { viewer { mainAccount { transactions(first: $first, after: $after) { edges { node { id } } } } } }",
    'query q($filter: Filter = { amount_gt: -1.5e+3, name: "a { b" }) @cached(ttl: 60) { a(filter: $filter) }',
    "query q { ...F } fragment F on Query { viewer { id } }",
    "fragment F on Query { viewer { id } } query q { ...F }",
    "query a { x } query b { y }",
    "query mutation { x }", // an operation named `mutation`
    "# mutation { deleteBoundDevice }\n{ viewer { email } }",
    '{ a(text: """ mutation { b } \\""" } """) }',
    "\uFEFF{ a },,",
  ])("is true for queries only: %s", (document) => {
    expect(isQueryOnlyDocument(document)).toBe(true);
  });

  it.each([
    'mutation { deleteBoundDevice(deviceId: "d") }',
    "mutation m($id: String!) { deleteBoundDevice(deviceId: $id) }",
    "subscription { newTransaction { id } }",
    "query q { a } mutation m { b }",
    "{ a } mutation { b }",
    "query q mutation { b }", // not a document, so not a query
    "fragment F on Query { viewer { id } }", // no operation
    "",
    "   # only a comment",
    "{ viewer { email }", // unbalanced
    "{ viewer } }",
    "query ($a: Int { a }",
    '"a description" type Query { a: Int }',
    "type Query { a: Int }",
    "extend type Query { b: Int }",
    "schema { query: Query }",
    "query q @dir { a } & { b }",
    '{ a(text: "unterminated) }',
    "{ a % b }",
    "query q { a } fragment F { b }", // a fragment without `on`
  ])("is false (a mutation, or unclear): %s", (document) => {
    expect(isQueryOnlyDocument(document)).toBe(false);
  });

  it("tells protocol's device documents apart: queries true, mutations false", () => {
    expect(isQueryOnlyDocument(deviceGraphQL.getDeviceBindingRequest)).toBe(true);
    expect(isQueryOnlyDocument(deviceGraphQL.listBoundDevices)).toBe(true);
    expect(isQueryOnlyDocument(deviceGraphQL.createDeviceBindingRequest)).toBe(false);
    expect(isQueryOnlyDocument(deviceGraphQL.updateDeviceBindingRequest)).toBe(false);
    expect(isQueryOnlyDocument(deviceGraphQL.deleteBoundDevice)).toBe(false);
  });

  it("is false for what is not a string, and quick on a document of Kontist's largest size", () => {
    expect(isQueryOnlyDocument(undefined as unknown as string)).toBe(false);
    const large = `{ ${"a { b } ".repeat(1_200)}}`; // 9,603 characters
    const started = performance.now();
    for (let i = 0; i < 100; i++) expect(isQueryOnlyDocument(large)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
