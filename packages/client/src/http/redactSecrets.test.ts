import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redactSecrets";

describe("redactSecrets", () => {
  it("replaces every occurrence of each secret, longest first", () => {
    expect(redactSecrets("pw hunter2 and hunter2x, token abcd", ["hunter2", "hunter2x", "abcd"])).toBe(
      "pw [redacted] and [redacted], token [redacted]",
    );
  });

  it("also replaces the percent- and form-encoded forms of a secret", () => {
    expect(redactSecrets("password=p%40ss+w%C3%B6rd%21&x=p%40ss%20w%C3%B6rd!", ["p@ss wörd!"])).toBe(
      "password=[redacted]&x=[redacted]",
    );
  });

  it("ignores empty and very short secrets and keeps other text", () => {
    expect(redactSecrets("nothing to hide", ["", "n", "hid", "absent"])).toBe("nothing to hide");
  });
});
