import { describe, expect, it } from "vitest";
import { sandboxPhoneUrl } from "./sandboxPhoneUrl";

describe("sandboxPhoneUrl", () => {
  it.each([
    ["http://127.0.0.1:4010", "http://127.0.0.1:4010/sandbox/phone"],
    ["http://localhost:4011", "http://localhost:4011/sandbox/phone"],
    ["http://[::1]:4010", "http://[::1]:4010/sandbox/phone"],
  ])("links the phone page of the local sandbox at %s", (apiUrl, phoneUrl) => {
    expect(sandboxPhoneUrl(apiUrl)).toBe(phoneUrl);
  });

  it.each(["https://api.kontist.com", "http://127.0.0.1.example.com:4010", "not a url", "file:///tmp"])(
    "links nothing for %s, which is no local sandbox",
    (apiUrl) => {
      expect(sandboxPhoneUrl(apiUrl)).toBeUndefined();
    },
  );
});
