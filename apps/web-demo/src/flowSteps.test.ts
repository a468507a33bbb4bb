import { describe, expect, it } from "vitest";
import { bindingSteps, signInStepStates, stepStates } from "./flowSteps";

describe("stepStates", () => {
  it("marks the steps before `done` done, the next one current while in progress, the rest pending", () => {
    expect(stepStates(bindingSteps, 0, true)).toEqual({
      requested: "current",
      confirmed: "pending",
      registered: "pending",
      otp: "pending",
      bound: "pending",
    });
    expect(stepStates(bindingSteps, 3, true)).toEqual({
      requested: "done",
      confirmed: "done",
      registered: "done",
      otp: "current",
      bound: "pending",
    });
  });

  it("has no current step when the flow is not under way, nor once every step is done", () => {
    expect(Object.values(stepStates(bindingSteps, 2, false))).toEqual([
      "done",
      "done",
      "pending",
      "pending",
      "pending",
    ]);
    expect(Object.values(stepStates(bindingSteps, 5, true))).toEqual(Array(5).fill("done"));
  });

  it.each([-1, 6, 1.5, Number.NaN])("refuses %s steps done", (done) => {
    expect(() => stepStates(bindingSteps, done, true)).toThrow(RangeError);
  });
});

describe("signInStepStates", () => {
  it.each([
    [{ loggedIn: false, confirmed: false, accountShown: false }, ["current", "pending", "pending"]],
    [{ loggedIn: true, confirmed: false, accountShown: false }, ["done", "current", "pending"]],
    [{ loggedIn: true, confirmed: true, accountShown: false }, ["done", "done", "current"]],
    [{ loggedIn: true, confirmed: true, accountShown: true }, ["done", "done", "done"]],
  ])("%o: login, mfa, account are %o", (progress, states) => {
    const { login, mfa, account } = signInStepStates(progress);
    expect([login, mfa, account]).toEqual(states);
  });
});
