import { ResponseValidationError } from "@kontist-auth/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeWindow, type FakeIframe, type FakeWindow } from "../../test/fakeWindow";
import { AuthorizationError } from "../errors/AuthorizationError";
import { StateMismatchError } from "../errors/StateMismatchError";
import { TimeoutError } from "../errors/TimeoutError";
import { authorizeInIframe } from "./authorizeInIframe";

const api = "https://api.example.com";
const url = `${api}/api/oauth/authorize?response_type=code&state=s-1&prompt=none&response_mode=web_message`;
/** The OAuth 2.0 Web Message Response Mode draft's form (what the sandbox sent before issue 8). */
const answer = (response: Record<string, string>) => ({ type: "authorization_response", response });

afterEach(() => {
  vi.useRealTimers();
});

function expectCleanedUp(fake: FakeWindow) {
  expect(fake.listenerCount()).toBe(0);
  expect(fake.iframes.every((iframe) => !iframe.attached)).toBe(true);
}

describe("authorizeInIframe", () => {
  it("loads the URL in a hidden iframe and resolves with the code the iframe posts", async () => {
    const fake = createFakeWindow((iframe, window) =>
      window.post(answer({ code: "code-1", state: "s-1" }), { origin: api, source: iframe.contentWindow }),
    );
    const code = await authorizeInIframe({ url, state: "s-1", timeout: 1_000, window: fake.window });
    expect(code).toBe("code-1");
    const [iframe] = fake.iframes;
    expect(iframe?.src).toBe(url);
    expect(iframe?.style).toMatchObject({ visibility: "hidden", width: "0", height: "0" });
    expect(iframe?.attributes.get("aria-hidden")).toBe("true");
    expectCleanedUp(fake);
  });

  it("accepts Kontist's form: response.code without type and without state", async () => {
    const fake = createFakeWindow((iframe, window) =>
      window.post({ response: { code: "code-1" } }, { origin: api, source: iframe.contentWindow }),
    );
    await expect(authorizeInIframe({ url, state: "s-1", timeout: 1_000, window: fake.window })).resolves.toBe(
      "code-1",
    );
    expectCleanedUp(fake);
  });

  it("accepts a matching state without type, and the draft's type without state", async () => {
    for (const data of [
      { response: { code: "code-1", state: "s-1" } },
      { type: "authorization_response", response: { code: "code-1" } },
      { response: { code: "code-1" }, state: "s-1" },
    ]) {
      const fake = createFakeWindow((iframe, window) =>
        window.post(data, { origin: api, source: iframe.contentWindow }),
      );
      await expect(
        authorizeInIframe({ url, state: "s-1", timeout: 1_000, window: fake.window }),
      ).resolves.toBe("code-1");
      expectCleanedUp(fake);
    }
  });

  it("ignores messages from another window or another origin, in every shape, and others of the iframe", async () => {
    const attacker = {};
    const fake = createFakeWindow((iframe, window) => {
      const good = answer({ code: "code-1", state: "s-1" });
      for (const forged of [
        answer({ code: "forged", state: "s-1" }),
        { response: { code: "forged" } },
        { error: "login_required" },
        { error: { type: "LoginRequiredError" } },
      ]) {
        window.post(forged, { origin: api, source: attacker });
        window.post(forged, { origin: api, source: null });
        window.post(forged, { origin: "https://evil.example", source: iframe.contentWindow });
        window.post(forged, { origin: "http://api.example.com", source: iframe.contentWindow });
      }
      // From the iframe, but no authorization answer: neither response nor error, or another type.
      window.post(
        { type: "something_else", response: { code: "forged", state: "s-1" } },
        { origin: api, source: iframe.contentWindow },
      );
      window.post({ type: "something_else", error: "x" }, { origin: api, source: iframe.contentWindow });
      window.post({ type: "authorization_response" }, { origin: api, source: iframe.contentWindow });
      window.post({ hello: "world" }, { origin: api, source: iframe.contentWindow });
      window.post(null, { origin: api, source: iframe.contentWindow });
      window.post("code=forged&state=s-1", { origin: api, source: iframe.contentWindow });
      window.post(good, { origin: api, source: iframe.contentWindow });
    });
    await expect(authorizeInIframe({ url, state: "s-1", timeout: 1_000, window: fake.window })).resolves.toBe(
      "code-1",
    );
    expectCleanedUp(fake);
  });

  it.each([
    ["with the draft's type", answer({ code: "code-1", state: "other" })],
    ["without type", { response: { code: "code-1", state: "other" } }],
    ["at the top level", { response: { code: "code-1" }, state: "other" }],
    ["on an error", { error: "login_required", state: "other" }],
  ])("refuses an answer from the iframe with another state (%s)", async (_, data) => {
    const fake = createFakeWindow((iframe, window) =>
      window.post(data, { origin: api, source: iframe.contentWindow }),
    );
    const error = await authorizeInIframe({ url, state: "s-1", timeout: 1_000, window: fake.window }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StateMismatchError);
    expect((error as Error).message).not.toContain("other");
    expectCleanedUp(fake);
  });

  it.each([
    ["a string", { error: "login_required" }, { error: "login_required", type: undefined }],
    [
      "an object",
      { error: { type: "LoginRequiredError" } },
      { error: "LoginRequiredError", type: "LoginRequiredError" },
    ],
    [
      "Kontist's denial",
      { error: { type: "AccessDeniedError" }, error_description: "The user said no" },
      { error: "access_denied", type: "AccessDeniedError", error_description: "The user said no" },
    ],
    [
      "an object without type",
      { error: { message: "nope" } },
      { error: '{"message":"nope"}', type: undefined },
    ],
    [
      "a string with the draft's type",
      { type: "authorization_response", error: "interaction_required" },
      { error: "interaction_required" },
    ],
  ])("ends at once with an AuthorizationError for a top-level error: %s", async (_, data, expected) => {
    const fake = createFakeWindow((iframe, window) =>
      window.post(data, { origin: api, source: iframe.contentWindow }),
    );
    const started = Date.now();
    const error = await authorizeInIframe({ url, state: "s-1", timeout: 10_000, window: fake.window }).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(1_000); // not the timeout
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({ code: "AUTHORIZATION_ERROR", ...expected });
    expectCleanedUp(fake);
  });

  it("refuses a malformed answer at once with a ResponseValidationError", async () => {
    for (const data of [{ response: { code: 42 } }, { error: "" }, { response: "code-1" }, { error: null }]) {
      const fake = createFakeWindow((iframe, window) =>
        window.post(data, { origin: api, source: iframe.contentWindow }),
      );
      await expect(
        authorizeInIframe({ url, state: "s-1", timeout: 10_000, window: fake.window }),
      ).rejects.toBeInstanceOf(ResponseValidationError);
      expectCleanedUp(fake);
    }
  });

  it("turns an error answer (no login session) into an AuthorizationError", async () => {
    const fake = createFakeWindow((iframe, window) =>
      window.post(answer({ error: "login_required", state: "s-1" }), {
        origin: api,
        source: iframe.contentWindow,
      }),
    );
    const error = await authorizeInIframe({ url, state: "s-1", timeout: 1_000, window: fake.window }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(error).toMatchObject({ code: "AUTHORIZATION_ERROR", error: "login_required", type: undefined });
    expectCleanedUp(fake);
  });

  it("refuses an answer with neither code nor error", async () => {
    const fake = createFakeWindow((iframe, window) =>
      window.post(answer({ state: "s-1" }), { origin: api, source: iframe.contentWindow }),
    );
    await expect(
      authorizeInIframe({ url, state: "s-1", timeout: 1_000, window: fake.window }),
    ).rejects.toBeInstanceOf(ResponseValidationError);
    expectCleanedUp(fake);
  });

  it("times out with a TimeoutError and leaves no iframe, listener or timer behind", async () => {
    vi.useFakeTimers();
    let loaded: FakeIframe | undefined;
    const fake = createFakeWindow((iframe) => {
      loaded = iframe; // and never answers
    });
    const pending = authorizeInIframe({ url, state: "s-1", timeout: 5_000, window: fake.window }).catch(
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(4_999);
    expect(loaded?.attached).toBe(true);
    expect(fake.listenerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT", timeout: 5_000 });
    expectCleanedUp(fake);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("clears its timer once answered", async () => {
    vi.useFakeTimers();
    const fake = createFakeWindow((iframe, window) =>
      window.post(answer({ code: "code-1", state: "s-1" }), { origin: api, source: iframe.contentWindow }),
    );
    const pending = authorizeInIframe({ url, state: "s-1", timeout: 5_000, window: fake.window });
    await vi.advanceTimersByTimeAsync(10);
    await expect(pending).resolves.toBe("code-1");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("needs a DOM window", async () => {
    expect(globalThis.window).toBeUndefined();
    await expect(authorizeInIframe({ url, state: "s-1", timeout: 1_000 })).rejects.toThrow(TypeError);
  });
});
