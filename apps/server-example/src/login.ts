import { createKontistClient } from "./createKontistClient";
import { readConfig } from "./readConfig";

// Run once (and again whenever the refresh token is gone): logs in with the OAuth2 password grant and
// leaves the token in Redis, where every instance configured with the same TOKEN_STORE_KEY finds it.
// The password grant is for your own account and trusted scripts; users of an app log in through the
// authorization code flow instead (see packages/client/README.md).

const config = readConfig(process.env);
const username = process.env.KONTIST_USERNAME;
const password = process.env.KONTIST_PASSWORD;
if (!username || !password) {
  console.error("Set KONTIST_USERNAME and KONTIST_PASSWORD.");
  process.exit(1);
}

const { client, redis } = createKontistClient(config);
try {
  // The client writes the new token to its store (Redis) before this resolves.
  const token = await client.auth.tokenManager.fetchTokenFromCredentials({ username, password });
  console.log(
    `Stored a token under ${config.tokenStoreKey}: expires ${token.expiresAt?.toISOString() ?? "never"}, ` +
      `${token.refreshToken ? "with" : "without"} a refresh token, confirmed: ${token.confirmed}.`,
  );
} catch (error) {
  // SDK errors (a wrong password is an OAUTH2_ERROR invalid_grant) hold no password or token.
  console.error(`Login failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await redis.quit();
}
