import { untilAborted } from "../async/untilAborted";
import { NoTokenError } from "../errors/NoTokenError";
import type { Transport, TransportRequest, TransportResponse } from "../http/Transport";
import type { Token } from "../token/Token";
import { bearerAuthorization } from "./bearerAuthorization";
import type { TokenManager } from "./TokenManager";

/**
 * Sends API requests with the client's access token (RFC 6750 §2.1) and keeps the token alive: before
 * a request, the token is renewed when it expires within `refreshLeeway` and can be renewed
 * (`tokenManager.getValidToken()`); a request answered 401 is retried once, after one renewal, or with
 * the token another caller renewed in the meantime (so a thousand requests that all get a 401 still
 * cause one renewal). The retry's answer is final: no loop. Never used for the token endpoint.
 *
 * @example
 * const api = new AuthenticatedTransport(transport, tokenManager);
 * const response = await api.send({ method: "GET", path: paths.devices });
 * const devices = processApiResponse(response, devicesResponseSchema);
 */
export class AuthenticatedTransport {
  readonly #transport: Transport;
  readonly #tokenManager: TokenManager;

  constructor(transport: Transport, tokenManager: TokenManager) {
    this.#transport = transport;
    this.#tokenManager = tokenManager;
  }

  /**
   * Sends `request` with `Authorization: Bearer`, renewing the token as described above. A 401 that
   * remains after the retry (or when the token cannot be renewed) is returned like any answer, for the
   * processing step to turn into an `UnauthorizedError`.
   *
   * @throws {NoTokenError} when the client holds no token (nor has its token store one); nothing is sent.
   * @throws {TokenStoreError} when the stored token could not be loaded; nothing is sent.
   * @throws the errors of `tokenManager.refresh()` when a needed renewal fails.
   * @throws the errors of {@link Transport.send}.
   * @throws the `reason` of `request.signal` when it aborts (a shared renewal keeps running for the others).
   */
  async send(request: TransportRequest): Promise<TransportResponse> {
    const source = `${request.method} ${request.path}`;
    const tokens = this.#tokenManager;
    // With a token store, the stored token is loaded first (once).
    if ((await untilAborted(tokens.loadToken(), request.signal)) === null) throw new NoTokenError(source);
    const token = await untilAborted(tokens.getValidToken(), request.signal);
    const response = await this.#sendWith(request, token, source);
    if (response.status !== 401) return response;
    const retryWith = await untilAborted(this.#tokenForRetry(token), request.signal);
    if (retryWith === undefined) return response;
    return this.#sendWith(request, retryWith, source);
  }

  /** After a 401: the token someone renewed meanwhile, else a renewed one, else nothing to retry with. */
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
