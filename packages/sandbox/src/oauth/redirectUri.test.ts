import { describe, expect, it } from "vitest";
import { isCustomSchemeRedirectUri, redirectUriMatches } from "./redirectUri";

describe("redirectUriMatches", () => {
  it("matches a loopback pattern on any port and path (RFC 8252 §7.3)", () => {
    expect(redirectUriMatches("http://localhost:*", "http://localhost:5173/callback")).toBe(true);
    expect(redirectUriMatches("http://localhost:*", "http://localhost:1/")).toBe(true);
    expect(redirectUriMatches("http://127.0.0.1:*", "http://127.0.0.1:8080/a/b?c=d")).toBe(true);
    expect(redirectUriMatches("http://127.0.0.1:*/cb", "http://127.0.0.1:8080/cb")).toBe(true);
    expect(redirectUriMatches("http://127.0.0.1:*/cb", "http://127.0.0.1:8080/other")).toBe(false);
  });

  it("refuses another scheme, host, userinfo or a fragment", () => {
    expect(redirectUriMatches("http://localhost:*", "https://localhost:5173/")).toBe(false);
    expect(redirectUriMatches("http://localhost:*", "http://localhost.evil.example:5173/")).toBe(false);
    expect(redirectUriMatches("http://localhost:*", "http://evil@localhost:5173/")).toBe(false);
    expect(redirectUriMatches("http://localhost:*", "http://localhost:5173/#x")).toBe(false);
    expect(redirectUriMatches("http://localhost:*", "not a uri")).toBe(false);
  });

  it("finding 13: a wildcard pattern matches URIs only, never its own text", () => {
    for (const pattern of ["http://localhost:*", "http://127.0.0.1:*", "http://127.0.0.1:*/cb"]) {
      expect(redirectUriMatches(pattern, pattern), pattern).toBe(false);
    }
    expect(redirectUriMatches("http://127.0.0.1:*", "http://127.0.0.1:*/cb")).toBe(false);
    expect(redirectUriMatches("http://127.0.0.1:*/cb", "http://127.0.0.1:1/cb")).toBe(true);
  });

  it("compares other URIs exactly (RFC 6749 §3.1.2.3)", () => {
    expect(redirectUriMatches("kontist-demo://callback", "kontist-demo://callback")).toBe(true);
    expect(redirectUriMatches("kontist-demo://callback", "kontist-demo://callback/")).toBe(false);
    expect(redirectUriMatches("kontist-demo://callback", "kontist-demo://callback?x=1")).toBe(false);
  });
});

describe("isCustomSchemeRedirectUri", () => {
  it("tells a native app's scheme from http(s)", () => {
    expect(isCustomSchemeRedirectUri("kontist-demo://callback")).toBe(true);
    expect(isCustomSchemeRedirectUri("com.example.app:/oauth")).toBe(true);
    expect(isCustomSchemeRedirectUri("http://localhost:1/")).toBe(false);
    expect(isCustomSchemeRedirectUri("HTTPS://example.com/")).toBe(false);
  });
});
