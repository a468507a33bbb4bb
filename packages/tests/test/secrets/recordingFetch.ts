import type { SecretKind } from "./SecretLedger";

// A `fetch` that records the secrets a client sends and receives, so a hygiene run knows the actual
// values to search for: the token endpoint's form fields (password, client secret, refresh token), the
// `Authorization` header (Bearer token, Basic client credentials), and from JSON answers every token,
// refresh token and OTP (the sandbox's SMS outbox). Bodies are read from clones, in the background;
// `settled()` waits for the reads still running.

export type RecordSecret = (kind: SecretKind, value: string) => void;

/** JSON keys whose string values are secrets, wherever they appear in an answer or a request body. */
const jsonKeys: Record<string, SecretKind> = {
  access_token: "access token",
  accessToken: "access token",
  token: "access token",
  refresh_token: "refresh token",
  refreshToken: "refresh token",
  otp: "OTP",
  password: "password",
  client_secret: "client secret",
  clientSecret: "client secret",
};

/** Form fields of a token request that are secrets. */
const formKeys: Record<string, SecretKind> = {
  password: "password",
  client_secret: "client secret",
  refresh_token: "refresh token",
  code_verifier: "PKCE verifier",
};

function recordJson(value: unknown, record: RecordSecret): void {
  if (Array.isArray(value)) {
    for (const item of value) recordJson(item, record);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const kind = jsonKeys[key];
      if (kind !== undefined && typeof item === "string") record(kind, item);
      else recordJson(item, record);
    }
  }
}

/** Records the secrets in a request or answer body: JSON, or a form (`application/x-www-form-urlencoded`). */
export function recordBody(text: string, record: RecordSecret): void {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      recordJson(JSON.parse(trimmed), record);
    } catch {
      // Not JSON after all (a truncated answer): nothing to record.
    }
    return;
  }
  if (!trimmed.includes("=")) return;
  for (const [key, value] of new URLSearchParams(trimmed)) {
    const kind = formKeys[key];
    if (kind !== undefined) record(kind, value);
  }
}

/** Records the token of a `Bearer` header and the secret of a `Basic` one. */
export function recordAuthorization(header: string | null, record: RecordSecret): void {
  if (header === null) return;
  const [scheme = "", credentials = ""] = header.split(" ");
  if (scheme.toLowerCase() === "bearer") record("access token", credentials);
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(credentials, "base64").toString();
    const secret = decodeURIComponent(decoded.slice(decoded.indexOf(":") + 1).replace(/\+/g, " "));
    record("client secret", secret);
  }
}

/** A `fetch` recording the secrets passing through `inner`; see the file's comment. */
export function recordingFetch(record: RecordSecret, inner: typeof fetch = globalThis.fetch) {
  const reads = new Set<Promise<void>>();
  const read = (body: Promise<string>) => {
    const done = body.then(
      (text) => recordBody(text, record),
      () => {},
    );
    reads.add(done);
    void done.finally(() => reads.delete(done));
  };
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // A Request's body is read from a clone; `new Request(request)` would take the body away from it.
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, name) => {
      headers.set(name, value);
    });
    recordAuthorization(headers.get("authorization"), record);
    const body = init?.body;
    if (typeof body === "string" || body instanceof URLSearchParams) read(Promise.resolve(String(body)));
    else if (input instanceof Request && input.body !== null) read(input.clone().text());
    const response = await inner(input, init);
    read(response.clone().text());
    return response;
  };
  return {
    fetch: wrapped as typeof fetch,
    /** Resolves once every body read so far has been recorded. */
    settled: async () => {
      while (reads.size > 0) await Promise.all([...reads]);
    },
  };
}
