import { createSoftwareSigner } from "@kontist-auth/crypto";
import type { SandboxStats } from "@kontist-auth/protocol/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as support from "../test/sandboxSupport";
import { type Sandbox, startSandbox } from "../test/sandboxSupport";

// Round trips (issue 12, item 4): the flow from nothing to a confirmed token costs the minimum number of
// requests, and a confirmed renewal exactly one. Counted twice: at the sandbox (its stats per route and
// grant) and at the client (a wrapping `fetch` that names each GraphQL operation, since the sandbox counts
// every GraphQL document under one route).

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
  await sandbox.close();
});

/** What the client sent: `METHOD /path`, plus the operation name for a GraphQL document. */
type Sent = string;

/** A fetch that records every request the client makes, then sends it on. */
function recordingFetch(sent: Sent[]): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const { pathname } = new URL(request.url);
    let entry = `${request.method} ${pathname}`;
    if (pathname === "/api/graphql" && request.method === "POST") {
      const body = (await request.clone().json()) as { query?: string; operationName?: string };
      const name =
        body.operationName ?? /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(body.query ?? "")?.[1];
      entry += ` ${name ?? "(anonymous)"}`;
    }
    sent.push(entry);
    return globalThis.fetch(request);
  };
}

/** Requests per route between two stats, leaving out the sandbox's own test routes (`/sandbox/*`). */
function apiRequestsBetween(before: SandboxStats, after: SandboxStats): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [route, count] of Object.entries(after.requests)) {
    if (/^\S+ \/sandbox\//.test(route)) continue;
    const added = count - (before.requests[route] ?? 0);
    if (added !== 0) delta[route] = added;
  }
  return delta;
}

/** Token requests per grant type between two stats. */
function grantsBetween(before: SandboxStats, after: SandboxStats): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [grant, count] of Object.entries(after.grants)) {
    const added = count - (before.grants[grant] ?? 0);
    if (added !== 0) delta[grant] = added;
  }
  return delta;
}

describe("round trips", () => {
  it("from nothing to a confirmed token: the minimum number of requests", async () => {
    const sent: Sent[] = [];
    const client = support.confidentialClientOf(sandbox, { fetch: recordingFetch(sent) });
    const signer = createSoftwareSigner();
    const before = await sandbox.test.stats();

    await client.auth.tokenManager.fetchTokenFromCredentials(support.demoUser);
    // The user confirms from onBindingRequest, before the first poll: one poll is all the client needs.
    const { deviceId, bindingRequest } = await client.auth.device.bind({
      signer,
      name: "round trips",
      ...support.asUser(sandbox),
    });
    expect(bindingRequest?.confirmedAt).toBeDefined();
    const confirmed = await client.auth.device.confirm({ signer, deviceId });
    expect(confirmed.confirmed).toBe(true);

    const after = await sandbox.test.stats();
    const polls = sent.filter((entry) => entry === "POST /api/graphql getDeviceBindingRequest").length;
    expect(polls).toBe(1);

    // At the client, in order: nothing more, nothing less.
    expect(sent).toEqual([
      "POST /api/oauth/token",
      "POST /api/graphql createDeviceBindingRequest",
      ...Array.from({ length: polls }, () => "POST /api/graphql getDeviceBindingRequest"),
      "POST /api/user/devices",
      `POST /api/user/devices/${deviceId}/verify`,
      `POST /api/user/devices/${deviceId}/challenges`,
      expect.stringMatching(new RegExp(`^POST /api/user/devices/${deviceId}/challenges/[^/]+/verify$`)),
    ]);

    // At the sandbox: the same requests per route (GraphQL: the binding request and its polls), one grant.
    expect(apiRequestsBetween(before, after)).toEqual({
      "POST /api/oauth/token": 1,
      "POST /api/graphql": 1 + polls,
      "POST /api/user/devices": 1,
      "POST /api/user/devices/{deviceId}/verify": 1,
      "POST /api/user/devices/{deviceId}/challenges": 1,
      "POST /api/user/devices/{deviceId}/challenges/{challengeId}/verify": 1,
    });
    expect(grantsBetween(before, after)).toEqual({ password: 1 });
  });

  it("a confirmed renewal: exactly one request, one refresh_token grant", async () => {
    const sent: Sent[] = [];
    const client = support.confidentialClientOf(sandbox, { fetch: recordingFetch(sent) });
    const signer = createSoftwareSigner();
    await client.auth.tokenManager.fetchTokenFromCredentials(support.demoUser);
    const { deviceId } = await client.auth.device.bind({
      signer,
      name: "renewal",
      ...support.asUser(sandbox),
    });
    const confirmed = await client.auth.device.confirm({ signer, deviceId });
    sent.length = 0;
    const before = await sandbox.test.stats();

    const renewed = await client.auth.tokenManager.refresh();
    expect(renewed.confirmed).toBe(true);
    expect(renewed.accessToken).not.toBe(confirmed.accessToken);

    const after = await sandbox.test.stats();
    expect(sent).toEqual(["POST /api/oauth/token"]);
    expect(apiRequestsBetween(before, after)).toEqual({ "POST /api/oauth/token": 1 });
    expect(grantsBetween(before, after)).toEqual({ refresh_token: 1 });
  });
});
