/**
 * An error answered as `{ "message", "status" }` (every endpoint but the token endpoint). Messages never
 * hold a token, password, OTP, secret or key material.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.headers = headers;
  }
}
