import { untilAborted } from "../async/untilAborted";
import { NoTokenError } from "../errors/NoTokenError";
import type { Token } from "../token/Token";
import { bearerAuthorization } from "./bearerAuthorization";
import type { Transport, TransportRequest, TransportResponse } from "./Transport";

/** One request through the {@link AuthenticatedTransport}. */
export interface AuthenticatedRequest extends TransportRequest {
  /**
   * Whether an answer means the token was refused, which triggers the one renewal and retry. Default:
   * HTTP 401 ({@link isHttpUnauthorized}); GraphQL passes `isUnauthorizedGraphQLResponse`, which also
   * reads an error with `extensions.status` 401 inside the envelope.
   */
  isUnauthorized?: ((response: TransportResponse) => boolean) | undefined;
  /**
   * `true` to send the request without `Authorization` when the client holds no token (GraphQL's public
   * queries), instead of throwing {@link NoTokenError}. Default `false`.
   */
  allowAnonymous?: boolean | undefined;
}

/** What the {@link AuthenticatedTransport} needs of the client's token manager (`auth.tokenManager`). */
export interface TokenSource {
  /** The current token, or `null`. */
  readonly token: Token | null;
  /** Whether `refresh` can renew the token without the user. */
  readonly canRenew: boolean;
  /** The current token, loaded from the token store first if that has not happened yet. */
  loadToken(): Promise<Token | null>;
  /** The current token, renewed first when it is due. */
  getValidToken(): Promise<Token>;
  /** Renews the current token (one renewal at a time). */
  refresh(): Promise<Token>;
}

/**
 * The default of {@link AuthenticatedRequest.isUnauthorized}: the answer is HTTP 401.
 *
 * @example
 * import type { TransportResponse } from "./Transport";
 * declare const response: TransportResponse;
 * isHttpUnauthorized(response); // true for a 401
 */
export function isHttpUnauthorized(response: TransportResponse): boolean {
  return response.status === 401;
}

/**
 * Sends API requests with the client's access token (RFC 6750 §2.1) and keeps the token alive: before
 * a request, the token is renewed when it expires within `refreshLeeway` and can be renewed
 * (`tokenManager.getValidToken()`); a request whose answer says the token was refused (HTTP 401, or what
 * the request's `isUnauthorized` says, e.g. a GraphQL error with `extensions.status` 401) is retried
 * once, after one renewal, or with the token another caller renewed in the meantime (so a thousand
 * requests that all get a 401 still cause one renewal). The retry's answer is final: no loop. Each such
 * retry emits `request.unauthorizedRetried`. Never used for the token endpoint.
 *
 * @example
 * import { mfaChallengesResponseSchema, paths } from "@kontist-auth/protocol";
 * import { processApiResponse } from "./processApiResponse";
 * import { Transport } from "./Transport";
 *
 * const transport = new Transport({ baseUrl: clientDefaults.baseUrl, timeout: clientDefaults.timeout });
 * const api = new AuthenticatedTransport(transport, client.auth.tokenManager);
 * const response = await api.send({ method: "GET", path: paths.mfaChallenges });
 * const challenges = processApiResponse(response, mfaChallengesResponseSchema);
 */
export class AuthenticatedTransport {
  readonly #transport: Transport;
  readonly #tokenManager: TokenSource;

  constructor(transport: Transport, tokenManager: TokenSource) {
    this.#transport = transport;
    this.#tokenManager = tokenManager;
  }

  /**
   * Sends `request` with `Authorization: Bearer`, renewing the token as described above. An answer that
   * still says unauthorized after the retry (or when the token cannot be renewed) is returned like any
   * answer, for the processing step to turn into an `UnauthorizedError` (or a `GraphQLError`). With
   * `allowAnonymous` and no token, the request goes out once without `Authorization`.
   *
   * @throws {NoTokenError} when the client holds no token (nor has its token store one) and the request
   *   does not `allowAnonymous`; nothing is sent.
   * @throws {TokenStoreError} when the stored token could not be loaded; nothing is sent.
   * @throws the errors of `tokenManager.refresh()` when a needed renewal fails.
   * @throws the errors of {@link Transport.send}.
   * @throws the `reason` of `request.signal` when it aborts (a shared renewal keeps running for the others).
   */
  async send(request: AuthenticatedRequest): Promise<TransportResponse> {
    const { isUnauthorized = isHttpUnauthorized, allowAnonymous = false, ...plain } = request;
    const source = `${plain.method} ${plain.path}`;
    const tokens = this.#tokenManager;
    // With a token store, the stored token is loaded first (once).
    if ((await untilAborted(tokens.loadToken(), plain.signal)) === null) {
      if (!allowAnonymous) throw new NoTokenError(source);
      return this.#transport.send(plain);
    }
    const token = await untilAborted(tokens.getValidToken(), plain.signal);
    const response = await this.#sendWith(plain, token, source);
    if (!isUnauthorized(response)) return response;
    const retryWith = await untilAborted(this.#tokenForRetry(token), plain.signal);
    if (retryWith === undefined) return response;
    this.#transport.emit?.("unauthorized", plain);
    return this.#sendWith(plain, retryWith, source);
  }

  /** After an unauthorized answer: the token someone renewed meanwhile, else a renewed one, else nothing to retry with. */
  async #tokenForRetry(used: Token): Promise<Token | undefined> {
    const tokens = this.#tokenManager;
    const current = tokens.token;
    if (current === null) return undefined;
    if (current.accessToken !== used.accessToken) return current;
    if (!tokens.canRenew) return undefined;
    await tokens.refresh();
    const renewed = tokens.token;
    return renewed === null || renewed.accessToken === used.accessToken ? undefined : renewed;
  }

  #sendWith(request: TransportRequest, token: Token, source: string): Promise<TransportResponse> {
    return this.#transport.send({
      ...request,
      headers: { ...request.headers, ...bearerAuthorization(token, source) },
      secrets: [...(request.secrets ?? []), token.accessToken, token.refreshToken],
    });
  }
}
