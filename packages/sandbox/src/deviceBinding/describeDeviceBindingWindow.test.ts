import { describe, expect, it } from "vitest";
import { describeDeviceBindingWindow } from "./describeDeviceBindingWindow";

describe("describeDeviceBindingWindow", () => {
  it("says whole minutes in minutes and anything else in seconds", () => {
    expect(describeDeviceBindingWindow(180)).toBe("3 minutes");
    expect(describeDeviceBindingWindow(60)).toBe("1 minute");
    expect(describeDeviceBindingWindow(90)).toBe("90 seconds");
    expect(describeDeviceBindingWindow(1)).toBe("1 second");
    expect(describeDeviceBindingWindow(0.5)).toBe("0.5 seconds");
  });
});
