import type { AddressInfo } from "node:net";
import { createKontistClient } from "./createKontistClient";
import { createExampleServer } from "./createServer";
import { readConfig } from "./readConfig";

// One instance of the backend. Start as many as you like with the same KONTIST_*, REDIS_URL and
// TOKEN_STORE_KEY: they share one token through Redis, and renew it once between them. An instance never
// needs the device key: a login confirmed with it (`pnpm kontist-login`) leaves a confirmed refresh token,
// and every access token renewed with it is confirmed too.

const config = readConfig(process.env);
const { client, redis } = createKontistClient(config);

// Fail fast when Redis is unreachable. Without a stored token yet, start anyway: the client reads the
// store again on each call, so the instances pick the token up once `pnpm kontist-login` has stored it.
try {
  const token = await client.auth.tokenManager.loadToken();
  if (token === null) {
    console.warn(`No token in Redis under ${config.tokenStoreKey} yet: run \`pnpm kontist-login\`.`);
  } else if (!token.confirmed) {
    console.warn("The token in Redis is unconfirmed: /account answers 403 (see KONTIST_DEVICE_SIGNER).");
  }
} catch (error) {
  console.error(`Not starting: ${error instanceof Error ? error.message : String(error)}`);
  redis.disconnect();
  process.exit(1);
}

const server = createExampleServer({ client });
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  console.log(
    `server-example listening on http://${config.host}:${port} (token key ${config.tokenStoreKey})`,
  );
});

let stopping = false;
async function shutDown(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  // Requests still running get 5 s, then their connections are cut.
  const cutOff = setTimeout(() => server.closeAllConnections(), 5_000);
  await closed;
  clearTimeout(cutOff);
  await redis.quit();
}
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    shutDown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  });
}
