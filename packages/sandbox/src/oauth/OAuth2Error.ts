/**
 * An error of the token endpoint, answered as `{ "error", "error_description" }` (RFC 6749 §5.2) with
 * `Cache-Control: no-store`. Descriptions never hold a token, password, secret or other credential.
 */
export class OAuth2Error extends Error {
  readonly error: string;
  readonly status: 400 | 401;
  readonly headers: Record<string, string>;

  constructor(
    error: string,
    description: string,
    status: 400 | 401 = 400,
    headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = "OAuth2Error";
    this.error = error;
    this.status = status;
    this.headers = headers;
  }
}
