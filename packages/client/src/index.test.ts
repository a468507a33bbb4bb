import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as entry from "./index";

describe("@kontist-auth/client", () => {
  // An accidental export, or a removed one, changes the public API: update this list on purpose only.
  it("exports exactly its public API", () => {
    expect(Object.keys(entry).sort()).toMatchInlineSnapshot(`
      [
        "AuthorizationError",
        "ChallengeCancelledError",
        "ChallengeDeniedError",
        "ChallengeExpiredError",
        "Client",
        "DeviceAuth",
        "DeviceBindingCancelledError",
        "DeviceBindingRejectedError",
        "DeviceBindingRequestNotFoundError",
        "GraphQLClient",
        "GraphQLError",
        "HttpError",
        "KontistAuthError",
        "MutationRefusedError",
        "NetworkError",
        "NoTokenError",
        "OAuth2Error",
        "PushAuth",
        "ResponseValidationError",
        "StateMismatchError",
        "TimeoutError",
        "Token",
        "TokenManager",
        "TokenRenewalError",
        "TokenStoreError",
        "UnauthorizedError",
        "UnexpectedRedirectError",
        "WebSocketClosedError",
        "authorizeInIframe",
        "createCodeChallenge",
        "createPkceVerifier",
        "createState",
        "defaultBaseUrl",
        "defaultBindingConfirmationTimeout",
        "defaultPollInterval",
        "defaultRefreshLeeway",
        "defaultSilentRenewalTimeout",
        "defaultTimeout",
        "defaultTokenStoreKey",
        "isAuthorizationError",
        "isChallengeCancelledError",
        "isChallengeDeniedError",
        "isChallengeExpiredError",
        "isDeviceBindingCancelledError",
        "isDeviceBindingRejectedError",
        "isDeviceBindingRequestNotFoundError",
        "isGraphQLError",
        "isHttpError",
        "isKontistAuthError",
        "isMutationRefusedError",
        "isNetworkError",
        "isNoTokenError",
        "isOAuth2Error",
        "isStateMismatchError",
        "isTimeoutError",
        "isTokenRenewalError",
        "isTokenStoreError",
        "isUnauthorizedError",
        "isUnexpectedRedirectError",
        "isWebSocketClosedError",
        "logoutInIframe",
      ]
    `);
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
