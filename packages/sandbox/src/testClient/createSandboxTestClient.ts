import { parseResponse } from "@kontist-auth/protocol";
import {
  sandboxEmailListSchema,
  sandboxFaultListSchema,
  sandboxFaultSchema,
  sandboxMfaChallengeListSchema,
  sandboxPaths,
  sandboxSmsListSchema,
  sandboxStatsSchema,
  sandboxTransactionSchema,
} from "@kontist-auth/protocol/sandbox";
import { SandboxTestClientError } from "../errors";
import type { SandboxTestClient } from "./SandboxTestClient";

/** A protocol (zod) schema, as `parseResponse` takes it. */
type ResponseSchema = Parameters<typeof parseResponse>[0];

/** Options of {@link createSandboxTestClient}. */
export interface SandboxTestClientOptions {
  /** How long one request may take, in milliseconds, before it is aborted. Default `10_000`. */
  timeoutMs?: number;
}

/** Where an answer carries the sandbox's `{ message }`, its message; otherwise nothing. */
async function answerMessage(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") {
      return `: ${body.message}`;
    }
  } catch {
    // An HTML page or no body: the status says enough.
  }
  return "";
}

/**
 * A test client of the sandbox at `baseUrl` — one running in another process, or started with
 * `npx kontist-sandbox`; an in-process sandbox has one as `sandbox.test`. See {@link SandboxTestClient}
 * for its methods. The test-support routes answer only a loopback `Host` (`localhost`, `127.0.0.1`,
 * `[::1]`), so `baseUrl` must name the sandbox that way.
 *
 * @param baseUrl - the sandbox's base URL, e.g. `http://127.0.0.1:4010`.
 * @throws {TypeError} when `baseUrl` is not an absolute URL; {@link RangeError} for a `timeoutMs` that
 *   is not a positive number.
 * @example
 * const sandbox = createSandboxTestClient("http://127.0.0.1:4010");
 * await sandbox.reset();
 * const otp = await sandbox.latestOtp("+4915100000000");
 */
export function createSandboxTestClient(
  baseUrl: string | URL,
  { timeoutMs = 10_000 }: SandboxTestClientOptions = {},
): SandboxTestClient {
  const base = new URL(baseUrl);
  if (!(timeoutMs > 0)) throw new RangeError("timeoutMs must be a positive number of milliseconds.");
  const url = base.href.replace(/\/$/, "");

  /** One request to a `/sandbox/` route; the answer when its status is `expected`, else the error. */
  async function send(
    method: string,
    path: string,
    expected: number,
    init: { json?: unknown; form?: Readonly<Record<string, string>> } = {},
  ): Promise<Response> {
    // One connection per call, closed after the answer: a test's fake timers and its process's exit never
    // wait for a keep-alive timer of the test client.
    const headers: Record<string, string> = { Connection: "close" };
    if (init.json !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(new URL(path, base), {
      method,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers,
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      ...(init.form === undefined ? {} : { body: new URLSearchParams({ ...init.form }) }),
    });
    if (response.status === expected) return response;
    throw new SandboxTestClientError(
      "SANDBOX_REQUEST_FAILED",
      `${method} ${path} answered ${response.status}${await answerMessage(response)}`,
      { status: response.status },
    );
  }

  /** One request whose answer is JSON, parsed with its protocol schema. */
  async function read<Schema extends ResponseSchema>(
    schema: Schema,
    method: string,
    path: string,
    expected = 200,
    json?: unknown,
  ): Promise<ReturnType<typeof parseResponse<Schema>>> {
    const response = await send(method, path, expected, { json });
    return parseResponse(schema, await response.json(), `${method} ${path} response`);
  }

  async function post(path: string): Promise<void> {
    await (await send("POST", path, 204)).body?.cancel();
  }

  const client: SandboxTestClient = {
    url,
    sms: () => read(sandboxSmsListSchema, "GET", sandboxPaths.sms),
    async latestOtp(to) {
      const sms = (await client.sms()).filter((message) => to === undefined || message.to === to).at(-1);
      if (sms === undefined) {
        throw new SandboxTestClientError(
          "SANDBOX_NOTHING_SENT",
          to === undefined ? "The sandbox sent no SMS." : `The sandbox sent no SMS to ${to}.`,
        );
      }
      return sms.otp;
    },
    emails: () => read(sandboxEmailListSchema, "GET", sandboxPaths.emails),
    async bindingRequestEmail(requestId) {
      const email = (await client.emails())
        .filter((message) => message.deviceBindingRequestId === requestId)
        .at(-1);
      if (email === undefined) {
        throw new SandboxTestClientError(
          "SANDBOX_NOTHING_SENT",
          `The sandbox sent no e-mail about device binding request ${requestId}.`,
        );
      }
      return email;
    },
    confirmBindingRequest: (requestId) => post(sandboxPaths.confirmDeviceBindingRequest(requestId)),
    rejectBindingRequest: (requestId) => post(sandboxPaths.rejectDeviceBindingRequest(requestId)),
    mfaChallenges: () => read(sandboxMfaChallengeListSchema, "GET", sandboxPaths.mfaChallenges),
    approveMfaChallenge: (challengeId) => post(sandboxPaths.approveMfaChallenge(challengeId)),
    denyMfaChallenge: (challengeId) => post(sandboxPaths.denyMfaChallenge(challengeId)),
    async approveLogin(fields) {
      const response = await send("POST", sandboxPaths.approveLogin, 302, { form: fields });
      await response.body?.cancel();
      return new URL(response.headers.get("location") ?? "", base);
    },
    bookTransaction: (request) =>
      read(sandboxTransactionSchema, "POST", sandboxPaths.transactions, 201, request),
    stats: () => read(sandboxStatsSchema, "GET", sandboxPaths.stats),
    grantCount: async (grantType) => (await client.stats()).grants[grantType] ?? 0,
    faults: () => read(sandboxFaultListSchema, "GET", sandboxPaths.faults),
    injectFault: (fault) => read(sandboxFaultSchema, "POST", sandboxPaths.faults, 201, fault),
    async clearFaults() {
      await (await send("DELETE", sandboxPaths.faults, 204)).body?.cancel();
    },
    reset: () => post(sandboxPaths.reset),
  };
  return client;
}
