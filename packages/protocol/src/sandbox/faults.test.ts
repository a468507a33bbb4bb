import { describe, expect, it } from "vitest";
import { sandboxFaultListSchema, sandboxFaultRequestSchema } from "./faults";
import { sandboxPaths } from "./sandboxPaths";

describe("sandboxFaultRequestSchema", () => {
  it("accepts a route key, a fault kind and the optional count, delay and status", () => {
    expect(sandboxFaultRequestSchema.parse({ route: "POST /api/oauth/token", fault: "error" })).toEqual({
      route: "POST /api/oauth/token",
      fault: "error",
    });
    const full = {
      route: "GET /api/user/mfa/challenges/{challengeId}",
      fault: "delay",
      times: 3,
      delayMs: 250,
      status: 503,
    };
    expect(sandboxFaultRequestSchema.parse(full)).toEqual(full);
    expect(sandboxFaultRequestSchema.safeParse({ route: "POST /api/graphql", fault: "reset" }).success).toBe(
      true,
    );
  });

  it("refuses an unknown kind, a route without a method, and counts, delays or statuses out of range", () => {
    const base = { route: "POST /api/oauth/token", fault: "error" };
    for (const bad of [
      { ...base, fault: "timeout" },
      { ...base, route: "/api/oauth/token" },
      { ...base, route: "post /api/oauth/token" },
      { ...base, times: 0 },
      { ...base, times: 1.5 },
      { ...base, delayMs: -1 },
      { ...base, delayMs: 60_001 },
      { ...base, status: 200 },
      { ...base, status: 600 },
    ]) {
      expect(sandboxFaultRequestSchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe("sandboxFaultListSchema", () => {
  it("reads the list GET /sandbox/faults answers", () => {
    const fault = { id: "f-1", route: "POST /api/oauth/token", fault: "reset", times: 2, delayMs: 0 };
    expect(sandboxFaultListSchema.parse([fault])).toEqual([fault]);
    expect(sandboxFaultListSchema.safeParse([{ ...fault, fault: "boom" }]).success).toBe(false);
  });
});

describe("sandboxPaths.faults", () => {
  it("is the fault-injection path", () => {
    expect(sandboxPaths.faults).toBe("/sandbox/faults");
  });
});
