import { describe, expect, it } from "vitest";
import * as sandbox from "./index";

describe("@kontist-auth/sandbox exports", () => {
  it("exports exactly its public API", () => {
    expect(Object.keys(sandbox).sort()).toEqual(["defaultSeeds", "sandboxDefaults", "startSandbox"]);
  });
});
