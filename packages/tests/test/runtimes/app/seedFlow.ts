import { Client } from "@kontist-auth/client";
import { createWebCryptoSigner } from "@kontist-auth/crypto";

// The seed flow as an app runs it in any runtime: password login, a device binding request the user
// confirms, bind with a non-extractable WebCrypto key, confirm, refresh, a GraphQL query. It uses only
// the packages and web APIs (fetch, WebCrypto, performance): the test copies this folder into a scratch
// project with the packed packages installed and runs it in Node, Bun, Deno, workerd and Chromium. The
// user (their credentials, the click on the e-mail's link, the SMS) is played by the test in Node, over
// HTTP at `userUrl` (test/runtimes/userServer.ts). Nothing here prints a token, password, OTP or key.

/** What the user tells the app: where Kontist is, and their credentials (`GET {userUrl}/options`). */
export interface SeedFlowOptions {
  sandboxUrl: string;
  username: string;
  password: string;
  deviceName: string;
}

/** What the flow saw, without a secret: the test checks it against the sandbox. */
export interface SeedFlowResult {
  /** The runtime that ran the flow, e.g. `Bun 1.4.5` (see {@link runtimeName}). */
  runtime: string;
  /** Whether the signer's private key can be exported (a WebCrypto signer's never can). */
  privateKeyExtractable: boolean;
  /** Whether the password grant's token was confirmed (never: it has no `cnf` claim yet). */
  loginConfirmed: boolean;
  bindingRequestId: string | undefined;
  deviceId: string;
  /** The token `device.confirm` gave: confirmed, with the device as `cnf.kid`. */
  confirmed: TokenFacts;
  /** The token `tokenManager.refresh` gave after that. */
  refreshed: TokenFacts & { newAccessToken: boolean };
  /** `viewer.mainAccount.iban`, queried with the refreshed token. */
  iban: string;
  /** Milliseconds from `new Client` to the GraphQL answer, by the runtime's own clock. */
  flowMs: number;
}

/** A token's confirmation and whose it is, from its (unverified) claims. */
interface TokenFacts {
  confirmed: boolean;
  /** `cnf.kid`: the device that confirmed it. */
  kid: string | undefined;
  /** `sub`: the user. */
  subject: string | undefined;
}

/** Asks the user (the test) for something, over HTTP. @throws {Error} when the user does not answer 2xx. */
async function askUser(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${url} answered ${response.status}`);
  return response;
}

/**
 * The runtime this code runs in, by what each one alone exposes (Bun and Deno have a `process` too):
 * `Bun 1.4.5`, `Deno 2.9.6`, `Node v20.19.0`, `Cloudflare-Workers`, a browser's product token
 * (`HeadlessChrome/140.0.0.0`).
 */
export function runtimeName(): string {
  const global = globalThis as {
    Bun?: { version: string };
    Deno?: { version: { deno: string } };
    process?: { version?: string; release?: { name?: string } };
    navigator?: { userAgent?: string };
  };
  if (global.Bun !== undefined) return `Bun ${global.Bun.version}`;
  if (global.Deno !== undefined) return `Deno ${global.Deno.version.deno}`;
  if (global.process?.release?.name === "node" && global.process.version !== undefined) {
    return `Node ${global.process.version}`;
  }
  const userAgent = global.navigator?.userAgent ?? "unknown";
  return /(HeadlessChrome|Chrome|Firefox|Safari)\/[\d.]+/.exec(userAgent)?.[0] ?? userAgent;
}

function facts(token: {
  confirmed: boolean;
  claims?: { cnf?: unknown; sub?: unknown } | undefined;
}): TokenFacts {
  const cnf = token.claims?.cnf as { kid?: unknown } | undefined;
  const sub = token.claims?.sub;
  return {
    confirmed: token.confirmed,
    kid: typeof cnf?.kid === "string" ? cnf.kid : undefined,
    subject: typeof sub === "string" ? sub : undefined,
  };
}

/**
 * Runs the seed flow against the sandbox the user at `userUrl` names, as that user.
 *
 * @throws the client's typed errors when a step fails, an `Error` when the user does not answer.
 */
export async function runSeedFlow(userUrl: string): Promise<SeedFlowResult> {
  const options = (await (await askUser(`${userUrl}/options`)).json()) as SeedFlowOptions;
  const started = performance.now();

  const client = new Client({
    baseUrl: options.sandboxUrl,
    clientId: "demo-client",
    clientSecret: "demo-secret",
    scopes: ["users", "offline"],
  });
  const login = await client.auth.tokenManager.fetchTokenFromCredentials({
    username: options.username,
    password: options.password,
  });
  const signer = await createWebCryptoSigner();
  const { deviceId, bindingRequest } = await client.auth.device.bind({
    signer,
    name: options.deviceName,
    // The user clicks the link of the e-mail, then types the code of the SMS.
    onBindingRequest: async (request) => {
      await askUser(`${userUrl}/binding-requests/${encodeURIComponent(request.id)}/confirm`, {
        method: "POST",
      });
    },
    otp: async () => ((await (await askUser(`${userUrl}/otp`)).json()) as { otp: string }).otp,
  });
  const confirmed = await client.auth.device.confirm({ signer, deviceId });
  const refreshed = await client.auth.tokenManager.refresh();
  const data = await client.graphQL.rawQuery<{ viewer: { mainAccount: { iban: string } } }>(
    "{ viewer { mainAccount { iban } } }",
  );
  const flowMs = performance.now() - started;

  return {
    runtime: runtimeName(),
    privateKeyExtractable: signer.keyPair.privateKey.extractable,
    loginConfirmed: login.confirmed,
    bindingRequestId: bindingRequest?.id,
    deviceId,
    confirmed: facts(confirmed),
    refreshed: { ...facts(refreshed), newAccessToken: refreshed.accessToken !== confirmed.accessToken },
    iban: data.viewer.mainAccount.iban,
    flowMs,
  };
}
