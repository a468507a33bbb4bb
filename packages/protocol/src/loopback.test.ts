import { describe, expect, it } from "vitest";
import { isLoopbackHostname } from "./loopback";

describe("isLoopbackHostname", () => {
  it.each([
    "http://localhost:4010",
    "http://app.localhost",
    "http://127.0.0.1",
    "http://127.1.2.3:80",
    "http://0x7f.1",
    "http://2130706433",
    "http://[::1]:4010",
    "http://LOCALHOST",
  ])("%s is loopback", (url) => {
    expect(isLoopbackHostname(new URL(url).hostname)).toBe(true);
  });

  it.each([
    "https://api.kontist.com",
    "http://localhost.example",
    "http://128.0.0.1",
    "http://[::2]",
    "http://10.0.0.1",
  ])("%s is not", (url) => {
    expect(isLoopbackHostname(new URL(url).hostname)).toBe(false);
  });
});
