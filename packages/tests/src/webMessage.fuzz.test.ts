import { AuthorizationError, ResponseValidationError, StateMismatchError } from "@kontist-auth/client";
import { authorizeInIframe } from "@kontist-auth/client/oauth";
import { authorizationWebMessageSchema } from "@kontist-auth/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
// The processing step of a web message is internal to the client; it is fuzzed here directly, and
// through authorizeInIframe (public) with the client's fake DOM window.
import { readAuthorizationWebMessage } from "../../client/src/oauth/readAuthorizationWebMessage";
import { createFakeWindow } from "../../client/test/fakeWindow";

// Property-based fuzzing of the web message reader (`response_mode=web_message`): arbitrary message data
// and shaped near-misses of Kontist's and the draft's answers. It returns a code only for a valid answer
// that carries no other state and no error, undefined for what is no answer, and throws nothing but its
// typed errors. Through authorizeInIframe, messages from another origin or another window are never
// taken, whatever they carry. FUZZ_RUNS / FUZZ_SEED override size and seed.

const runs = Number(process.env.FUZZ_RUNS ?? 3_000);
const seed = Number(process.env.FUZZ_SEED ?? 20_251_101);
const expectedState = "state-1";
const source = "the fuzzed web message";

const text = fc.oneof(
  fc.string(),
  fc.constantFrom("", expectedState, "state-2", "login_required", "__proto__"),
);
const notText = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
);
const optional = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary, weight: 3 });
const field = (arbitrary: fc.Arbitrary<unknown>) =>
  optional(fc.oneof({ arbitrary, weight: 4 }, { arbitrary: notText, weight: 1 }));
const errorValue = fc.oneof(
  text,
  fc.record({ type: fc.oneof(text, notText) }, { requiredKeys: [] }),
  fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
);
/** Kontist's `{ response: { code } }`, the draft's `{ type, response: { code, state } }`, errors, near misses. */
const shaped = fc
  .record({
    type: field(fc.constantFrom("authorization_response", "something_else", "")),
    response: field(
      fc.record({
        code: field(text),
        state: field(text),
        error: field(errorValue),
        error_description: field(text),
        extra: field(fc.jsonValue({ maxDepth: 1 })),
      }),
    ),
    error: field(errorValue),
    error_description: field(text),
    state: field(text),
  })
  .map((message) => Object.fromEntries(Object.entries(message).filter(([, value]) => value !== undefined)));
const anyData = fc.oneof(
  { arbitrary: shaped, weight: 4 },
  { arbitrary: fc.jsonValue(), weight: 1 },
  { arbitrary: fc.anything(), weight: 1 },
);

type Outcome = { code: string } | { ignored: true } | { error: "invalid" | "state" | "authorization" };

/** What the reader must do with `data`, worked out from the schema and the documented rules. */
function expectedOutcome(data: unknown): Outcome {
  if (typeof data !== "object" || data === null) return { ignored: true };
  const { type, response, error } = data as Record<string, unknown>;
  if (type !== undefined && type !== "authorization_response") return { ignored: true };
  if (response === undefined && error === undefined) return { ignored: true };
  const parsed = authorizationWebMessageSchema.safeParse(data);
  if (!parsed.success) return { error: "invalid" };
  const message = parsed.data;
  for (const state of [message.state, message.response?.state]) {
    if (state !== undefined && state !== expectedState) return { error: "state" };
  }
  if (message.error !== undefined || message.response?.error !== undefined) return { error: "authorization" };
  const code = message.response?.code;
  return code === undefined ? { error: "invalid" } : { code };
}

function actualOutcome(data: unknown): Outcome {
  try {
    const code = readAuthorizationWebMessage(data, expectedState, source);
    return code === undefined ? { ignored: true } : { code };
  } catch (error) {
    if (error instanceof StateMismatchError) return { error: "state" };
    if (error instanceof AuthorizationError) return { error: "authorization" };
    if (error instanceof ResponseValidationError) return { error: "invalid" };
    throw error; // anything else fails the property
  }
}

describe("readAuthorizationWebMessage under fuzzing", () => {
  it("returns a code only for a valid answer, and throws only its typed errors", () => {
    const seen = { code: 0, ignored: 0, invalid: 0, state: 0, authorization: 0 };
    fc.assert(
      fc.property(anyData, (data) => {
        const outcome = actualOutcome(data);
        expect(outcome).toEqual(expectedOutcome(data));
        const kind = "code" in outcome ? "code" : "ignored" in outcome ? "ignored" : outcome.error;
        seen[kind]++;
      }),
      { numRuns: runs, seed },
    );
    // Every outcome was reached, so none of them is checked only in theory.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  });
});

const api = "https://api.example.com";
const url = `${api}/api/oauth/authorize?response_type=code&state=${expectedState}&prompt=none&response_mode=web_message`;
const wrongOrigins = fc.oneof(
  fc.constantFrom(
    "http://api.example.com",
    "https://api.example.com.evil.example",
    "https://example.com",
    "https://api.example.com:8443",
    "null",
    "",
  ),
  fc.webUrl().map((address) => new URL(address).origin),
);
/** Messages from elsewhere (another origin, another window, none), carrying anything, valid codes too. */
const forged = fc.record({
  data: fc.oneof(anyData, fc.constant({ response: { code: "forged-code", state: expectedState } })),
  from: fc.oneof(
    fc.record({ origin: wrongOrigins, window: fc.constantFrom("iframe", "other", "none") }),
    fc.record({ origin: fc.constant(api), window: fc.constantFrom("other", "none") }),
  ),
});

describe("authorizeInIframe under fuzzing", () => {
  it("takes no message from another origin or another window, whatever it carries", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(forged, { maxLength: 6 }), async (messages) => {
        const stranger = {};
        const fake = createFakeWindow((iframe, window) => {
          for (const { data, from } of messages) {
            const windowOf = { iframe: iframe.contentWindow, other: stranger, none: null }[from.window];
            window.post(data, { origin: from.origin, source: windowOf });
          }
          window.post({ response: { code: "the-code" } }, { origin: api, source: iframe.contentWindow });
        });
        const code = await authorizeInIframe({
          url,
          state: expectedState,
          timeout: 2_000,
          window: fake.window,
        });
        expect(code).toBe("the-code");
        expect(fake.listenerCount()).toBe(0);
      }),
      { numRuns: Math.ceil(runs / 10), seed },
    );
  });
});
