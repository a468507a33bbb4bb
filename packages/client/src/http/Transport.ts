import { NetworkError } from "../errors/NetworkError";
import { TimeoutError } from "../errors/TimeoutError";
import { UnexpectedRedirectError } from "../errors/UnexpectedRedirectError";
import type { EmitEvent } from "../events/ClientEvent";
import { sendWithRetry } from "./retry";
import { parseRetryAfter, type RetryOptions } from "./retryOptions";

/** How a {@link Transport} reaches the API. */
export interface TransportOptions {
  /** The API's base URL, e.g. `https://api.kontist.com`; a path prefix is kept. */
  baseUrl: string;
  /** The fetch implementation; default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Milliseconds a request may take, answer and body; it is aborted after that. */
  timeout: number;
  /**
   * How requests marked `idempotent` are retried ({@link sendWithRetry}); default `false`: every request
   * is sent once. The client passes its `retry` option.
   */
  retry?: Readonly<RetryOptions> | false | undefined;
  /** Where a `request.retried` event goes as each retry is sent (the client's `onEvent`); none by default. */
  emit?: EmitEvent | undefined;
}

/** One request to the API. */
export interface TransportRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** A path from protocol's `paths`, e.g. `/api/oauth/token`. */
  path: string;
  headers?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A form body (`application/x-www-form-urlencoded`). */
  form?: URLSearchParams;
  /**
   * Values this request carries that must never reach an error message: tokens, passwords, client
   * secrets, signatures, keys. The processing step redacts them from anything the server echoes.
   */
  secrets?: readonly (string | undefined)[];
  /**
   * Aborts the request when it fires; `send` then rejects with the signal's `reason` (the caller's own
   * error, e.g. a cancelled push confirmation), not with a {@link TimeoutError}.
   */
  signal?: AbortSignal | undefined;
  /**
   * `true` when sending the request twice does no harm (a `GET`, a GraphQL document of queries only): it
   * is then retried as the transport's `retry` says. Never set it for a token grant, a verification or any
   * other request that changes state. Default `false`: sent once.
   */
  idempotent?: boolean | undefined;
}

/** An answer, read completely: no `Response` object is kept, so nothing can leak its headers. */
export interface TransportResponse {
  /** The HTTP status. */
  status: number;
  /** The body as text (`""` when empty). */
  text: string;
  /** The HTTP status text (`"Not Found"`), when the server sent one; HTTP/2 and later send none. */
  statusText?: string | undefined;
  /** `METHOD /path` of the request, for error messages. */
  source: string;
  /** The request's secrets, for redaction. */
  secrets: readonly string[];
  /**
   * The milliseconds the answer's `Retry-After` asks to wait ({@link parseRetryAfter}), when it has a
   * valid one. In a browser the header is seen only when the API exposes it (CORS).
   */
  retryAfter?: number | undefined;
}

/**
 * Sends requests with `fetch` and reads their answers, nothing more: no HTTP error throwing; the
 * processing steps (`processTokenResponse`, `processApiResponse`) decide what a status means. A request
 * marked `idempotent` is retried as the `retry` option says ({@link sendWithRetry}: after a network failure, a timeout, a 429 or a 5xx), any other
 * request is sent exactly once. Owns the timeout, which covers the answer *and* its body and aborts the
 * request.
 * Never follows a redirect (`redirect: "manual"`): a 3xx would send the request again, secrets and all,
 * wherever `Location` points, so it is an {@link UnexpectedRedirectError} for every request.
 *
 * @example
 * import { paths } from "@kontist-auth/protocol";
 * import { processTokenResponse } from "../tokenEndpoint/processTokenResponse";
 *
 * const transport = new Transport({ baseUrl: "https://api.kontist.com", timeout: 10_000 });
 * const password = "…";
 * const form = new URLSearchParams({ grant_type: "password", username: "demo@example.com", password });
 * const response = await transport.send({ method: "POST", path: paths.token, form, secrets: [password] });
 * const body = processTokenResponse(response);
 */
export class Transport {
  readonly #fetch: typeof globalThis.fetch | undefined;
  readonly #baseUrl: string;
  readonly #timeout: number;
  readonly #retry: Readonly<RetryOptions> | false;
  /** Where the client's events go (its `onEvent`), for the transports built on this one too. */
  readonly emit: EmitEvent | undefined;

  constructor(options: TransportOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#timeout = options.timeout;
    this.#retry = options.retry ?? false;
    this.#fetch = options.fetch;
    this.emit = options.emit;
  }

  /**
   * Sends `request` and reads the whole answer; an `idempotent` request is sent again as the `retry`
   * option says, each attempt with its own timeout, and the last attempt's answer or failure counts.
   *
   * @throws {TimeoutError} when the answer and its body take longer than the timeout (the request is
   *   aborted).
   * @throws {NetworkError} when there is no answer, or the connection breaks while the body is read.
   * @throws {UnexpectedRedirectError} when the answer is a redirect (3xx, or a browser's opaque redirect);
   *   it is not followed.
   * @throws the `reason` of `request.signal` when it aborts the request (or had already fired).
   */
  send(request: TransportRequest): Promise<TransportResponse> {
    if (!request.idempotent || this.#retry === false) return this.#sendOnce(request);
    return sendWithRetry(
      () => this.#sendOnce(request),
      this.#retry,
      request.signal,
      undefined,
      (...retry) => this.emit?.("retry", request, ...retry),
    );
  }

  async #sendOnce(request: TransportRequest): Promise<TransportResponse> {
    const source = `${request.method} ${request.path}`;
    const external = request.signal;
    if (external?.aborted) throw external.reason;
    const controller = new AbortController();
    let failure: unknown;
    // Racing the abort as well as passing the signal: a custom `fetch` that ignores signals still stops.
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(failure));
    });
    const abort = (reason: unknown) => {
      if (controller.signal.aborted) return;
      failure = reason;
      controller.abort();
    };
    const onExternalAbort = () => abort(external?.reason);
    external?.addEventListener("abort", onExternalAbort, { once: true });
    const timer = setTimeout(() => abort(new TimeoutError(source, this.#timeout)), this.#timeout);
    const exchange = this.#exchange(request, controller.signal);
    exchange.catch(() => {}); // settled below; silences the loser of the race
    try {
      const { status, statusText, text, redirected, retryAfter } = await Promise.race([exchange, aborted]);
      if (redirected) throw new UnexpectedRedirectError(source, status);
      const secrets = (request.secrets ?? []).filter((secret): secret is string => !!secret);
      return { status, statusText, text, source, secrets, retryAfter };
    } catch (error) {
      if (controller.signal.aborted) throw failure;
      if (error instanceof UnexpectedRedirectError) throw error;
      throw new NetworkError(source, error);
    } finally {
      clearTimeout(timer);
      external?.removeEventListener("abort", onExternalAbort);
    }
  }

  async #exchange(
    request: TransportRequest,
    signal: AbortSignal,
  ): Promise<{
    status: number;
    statusText: string;
    text: string;
    redirected: boolean;
    retryAfter: number | undefined;
  }> {
    const sentHeaders: Record<string, string> = { accept: "application/json" };
    let body: string | URLSearchParams | undefined;
    if (request.json !== undefined) {
      sentHeaders["content-type"] = "application/json";
      body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      body = request.form; // fetch sends it as application/x-www-form-urlencoded;charset=UTF-8
    }
    // One `Request` for the fetch to see (a custom fetch may read its URL, method and headers).
    const sent = new Request(`${this.#baseUrl}${request.path}`, {
      method: request.method,
      headers: { ...sentHeaders, ...request.headers },
      ...(body === undefined ? {} : { body }),
      signal,
      // Node's fetch hands a 3xx back as it is; a browser's gives an opaque answer of type "opaqueredirect".
      redirect: "manual",
    });
    // The global fetch is looked up per request, so a polyfill installed after the client was made counts.
    const response = await (this.#fetch ?? globalThis.fetch)(sent);
    const redirected =
      response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);
    const { status, statusText, headers } = response;
    if (redirected) {
      // The body of a redirect is not read; cancelling it frees the connection.
      await response.body?.cancel().catch(() => {});
      return { status, statusText, text: "", redirected, retryAfter: undefined };
    }
    const retryAfter = parseRetryAfter(headers.get("retry-after"), headers.get("date"));
    return { status, statusText, text: await response.text(), redirected, retryAfter };
  }
}
