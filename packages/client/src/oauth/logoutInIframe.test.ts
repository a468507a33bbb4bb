import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeWindow } from "../../test/fakeWindow";
import { logoutInIframe } from "./logoutInIframe";

const url = "https://api.example.com/oauth/logout";

afterEach(() => {
  vi.useRealTimers();
});

describe("logoutInIframe", () => {
  it("loads the logout URL in a hidden iframe, resolves once it has loaded, and removes it", async () => {
    const fake = createFakeWindow((iframe) => iframe.load());
    await logoutInIframe({ url, timeout: 10_000, window: fake.window });
    const [iframe] = fake.iframes;
    expect(fake.iframes).toHaveLength(1);
    expect(iframe?.src).toBe(url);
    expect(iframe?.style).toMatchObject({ visibility: "hidden", width: "0", height: "0" });
    expect(iframe?.attributes.get("aria-hidden")).toBe("true");
    expect(iframe?.attributes.get("tabindex")).toBe("-1");
    expect(iframe?.attached).toBe(false);
  });

  it("resolves after the timeout when the page never loads, removes the iframe and leaves no timer", async () => {
    vi.useFakeTimers();
    const fake = createFakeWindow(); // never loads
    let settled = false;
    const pending = logoutInIframe({ url, timeout: 5_000, window: fake.window }).then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    expect(fake.iframes[0]?.attached).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(settled).toBe(true);
    expect(fake.iframes[0]?.attached).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("clears its timer once loaded", async () => {
    vi.useFakeTimers();
    const fake = createFakeWindow((iframe) => iframe.load());
    const pending = logoutInIframe({ url, timeout: 5_000, window: fake.window });
    await vi.advanceTimersByTimeAsync(10);
    await pending;
    expect(vi.getTimerCount()).toBe(0);
  });

  it("resolves even when the document refuses the iframe", async () => {
    const fake = createFakeWindow();
    fake.window.document.createElement = () => {
      throw new DOMException("refused", "SecurityError");
    };
    const reportError = vi.fn();
    vi.stubGlobal("reportError", reportError);
    try {
      await expect(logoutInIframe({ url, timeout: 10_000, window: fake.window })).resolves.toBeUndefined();
      expect(reportError).toHaveBeenCalledOnce();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("needs a DOM window", async () => {
    expect(globalThis.window).toBeUndefined();
    await expect(logoutInIframe({ url, timeout: 1_000 })).rejects.toThrow(TypeError);
  });
});
