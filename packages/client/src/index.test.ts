import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { entryPointShapes } from "../../../test/exportShape";

describe("@kontist-auth/client", () => {
  // An accidental export, or a removed one, changes the public API: update the snapshot on purpose only.
  it("exports exactly its public API, per entry point", async () => {
    expect(await entryPointShapes(new URL("..", import.meta.url))).toMatchInlineSnapshot(`
      {
        ".": {
          "AuthorizationError": "class",
          "ChallengeCancelledError": "class",
          "ChallengeDeniedError": "class",
          "ChallengeError": "class",
          "ChallengeExpiredError": "class",
          "Client": "class",
          "DeviceBindingCancelledError": "class",
          "DeviceBindingError": "class",
          "DeviceBindingRejectedError": "class",
          "DeviceBindingRequestNotFoundError": "class",
          "GraphQLError": "class",
          "HttpError": "class",
          "KontistAuthError": "class",
          "MutationRefusedError": "class",
          "NetworkError": "class",
          "NoTokenError": "class",
          "OAuth2Error": "class",
          "ResponseValidationError": "class",
          "StateMismatchError": "class",
          "TimeoutError": "class",
          "Token": "class",
          "TokenRenewalError": "class",
          "TokenStoreError": "class",
          "UnauthorizedError": "class",
          "UnexpectedRedirectError": "class",
          "WebSocketClosedError": "class",
          "clientDefaults": "object",
          "isKontistAuthError": "function",
        },
        "./oauth": {
          "authorizeInIframe": "function",
          "createCodeChallenge": "function",
          "createPkceVerifier": "function",
          "createState": "function",
          "logoutInIframe": "function",
        },
      }
    `);
  });

  it("keeps the main entry small: at most 30 runtime exports, internal classes as types only", async () => {
    const { ".": main = {} } = await entryPointShapes(new URL("..", import.meta.url));
    expect(Object.keys(main).length).toBeLessThanOrEqual(30);
    for (const internal of ["TokenManager", "DeviceAuth", "PushAuth", "GraphQLClient"]) {
      expect(main).not.toHaveProperty(internal);
    }
  });
});

describe("the package source", () => {
  // It must bundle for browsers: no Node built-in, in any module the entry point can reach.
  it("imports no Node built-in outside tests", () => {
    const sources = readdirSync(fileURLToPath(new URL(".", import.meta.url)), {
      recursive: true,
      encoding: "utf8",
    })
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
      .map((file) => readFileSync(fileURLToPath(new URL(file, import.meta.url)), "utf8"));
    expect(sources.length).toBeGreaterThan(10);
    for (const source of sources) {
      expect(source).not.toMatch(/from "node:|require\(|from "(fs|path|util|crypto|http|https|net|buffer)"/);
    }
  });
});
