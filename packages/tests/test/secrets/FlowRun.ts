import { createHash } from "node:crypto";
import { Client, type ClientOptions, isKontistAuthError, type Token } from "@kontist-auth/client";
import { createSoftwareSigner } from "@kontist-auth/crypto";
import type { SandboxTestClient } from "@kontist-auth/sandbox";
import { memoryStore } from "@kontist-auth/token-store";
import { confidentialClient, demoUser, otherUser } from "../sandboxSupport";
import type { OutputCapture } from "./OutputCapture";
import { recordingFetch } from "./recordingFetch";
import type { SecretLedger } from "./SecretLedger";

// What the client flows of a hygiene run share: clients whose every secret is recorded (their fetch,
// their token store, their token changes), a device key made from a known secret key, and the two ways
// a value reaches a user's eyes — printed with console.* and rendered every way (`show`).

/** A sandbox the flows run against: an in-process one or the `kontist-sandbox` binary. */
export interface HygieneTarget {
  name: string;
  url: string;
  test: SandboxTestClient;
}

/** Where a run's output and secrets go. */
export interface HygieneContext {
  capture: OutputCapture;
  ledger: SecretLedger;
}

/** How a failing variant ended: the SDK error code it was expected to fail with, or "succeeded". */
export interface FailureOutcome {
  flow: string;
  code: string;
}

/** A P-256 secret key derived from `label`, so the run knows the bytes to search for. */
export function knownSecretKey(label: string): Uint8Array {
  return createHash("sha256").update(`kontist-auth secret hygiene: ${label}`).digest();
}

/** A software signer whose private key is known to the ledger. */
export function knownSigner(ledger: SecretLedger, label: string) {
  const secretKey = knownSecretKey(label);
  ledger.addKey("private key", secretKey);
  return createSoftwareSigner({ secretKey });
}

export class FlowRun {
  readonly target: HygieneTarget;
  readonly ledger: SecretLedger;
  readonly outcomes: FailureOutcome[] = [];
  readonly #capture: OutputCapture;
  readonly #recorder: ReturnType<typeof recordingFetch>;
  readonly #clients: { client: Client; store: ReturnType<typeof memoryStore>; key: string }[] = [];

  constructor(target: HygieneTarget, context: HygieneContext) {
    this.target = target;
    this.ledger = context.ledger;
    this.#capture = context.capture;
    this.#recorder = recordingFetch((kind, value) => this.ledger.add(kind, value));
    for (const user of [demoUser, otherUser]) this.ledger.add("password", user.password);
    this.clientSecret(confidentialClient.clientSecret);
  }

  /** Records a client secret, and its HTTP Basic credentials (`base64(id:secret)`) with the seeded client id. */
  clientSecret(secret: string): void {
    this.ledger.add("client secret", secret);
    const encode = (text: string) => new URLSearchParams({ s: text }).toString().slice(2);
    const basic = `${encode(confidentialClient.clientId)}:${encode(secret)}`;
    this.ledger.add("client secret", Buffer.from(basic).toString("base64"));
  }

  /** A confidential client with a memory store, whose secrets are recorded; `users offline` by default. */
  client(options: Partial<ClientOptions> = {}): Client {
    const store = memoryStore();
    const key = `secret-hygiene:${this.#clients.length}`;
    const client = new Client({
      baseUrl: this.target.url,
      ...confidentialClient,
      scopes: ["users", "offline"],
      tokenStore: store,
      tokenStoreKey: key,
      fetch: this.#recorder.fetch,
      // Every event is logged as an app would log it, and searched with the rest.
      onEvent: (event) => this.show("client event", event),
      ...options,
    });
    client.auth.tokenManager.onTokenChange((token) => this.token(token));
    this.#clients.push({ client, store, key });
    return client;
  }

  /** A client logged in with the password grant. */
  async loggedIn(options: Partial<ClientOptions> = {}, user = demoUser): Promise<Client> {
    const client = this.client(options);
    this.token(await client.auth.tokenManager.fetchTokenFromCredentials(user));
    return client;
  }

  /** Records a token's strings as secrets. */
  token(token: Token | null | undefined): void {
    this.ledger.add("access token", token?.accessToken);
    this.ledger.add("refresh token", token?.refreshToken);
  }

  /** Prints `value` as an app would (console.log, a JSON line on stdout) and adds every other rendering of it. */
  show(label: string, value: unknown): void {
    console.log(`${this.target.name}: ${label}:`, value);
    try {
      process.stdout.write(`${this.target.name}: ${label}: ${JSON.stringify(value)}\n`);
    } catch {
      // A value JSON cannot hold (a BigInt, a cycle): console.log has shown it.
    }
    this.#capture.expose(`${this.target.name}: ${label}`, value);
  }

  /**
   * Runs a variant that should fail: its error is printed (console.error and stderr, as an app's catch would) and
   * rendered every way; the outcome records the error's SDK code.
   */
  async failing(flow: string, run: () => Promise<unknown>): Promise<void> {
    try {
      const result = await run();
      this.show(`${flow} (unexpectedly succeeded)`, result);
      this.outcomes.push({ flow, code: "succeeded" });
    } catch (error) {
      console.error(`${this.target.name}: ${flow} failed:`, error);
      process.stderr.write(`${this.target.name}: ${flow} failed: ${String(error)}\n`);
      this.#capture.expose(`${this.target.name}: ${flow}`, error);
      const code = isKontistAuthError(error) ? error.code : error instanceof Error ? error.name : "unknown";
      this.outcomes.push({ flow, code });
    }
  }

  /** The OTP of the newest SMS, recorded as a secret (the user reads it on their phone). */
  async latestOtp(): Promise<string> {
    const otp = await this.target.test.latestOtp();
    this.ledger.add("OTP", otp);
    return otp;
  }

  /**
   * Collects what the run's clients still hold: each client's current token and its store's copy, every
   * OTP the sandbox sent, and the bodies the recorder is still reading. Renders each client and store.
   */
  async harvest(): Promise<void> {
    for (const { client, store, key } of this.#clients) {
      this.token(client.auth.tokenManager.token);
      const stored = await store.get(key);
      this.ledger.add("access token", stored?.accessToken);
      this.ledger.add("refresh token", stored?.refreshToken);
      this.#capture.expose(`${this.target.name}: client`, client);
      this.#capture.expose(`${this.target.name}: token store`, store);
      this.#capture.expose(`${this.target.name}: token manager`, client.auth.tokenManager);
    }
    for (const sms of await this.target.test.sms()) this.ledger.add("OTP", sms.otp);
    await this.#recorder.settled();
  }
}
