/** Where a keychain signer's key lives in the OS credential store. */
export interface KeychainSignerOptions {
  /**
   * The service (application) name the credential is filed under, e.g. your app's reverse-DNS id
   * `"com.example.banking"`. Non-empty.
   */
  service: string;
  /**
   * The account the key belongs to within the service, e.g. the Kontist user id or `"device-key"`.
   * One key per service + account. Non-empty.
   */
  account: string;
}

/**
 * Checks and copies {@link KeychainSignerOptions} (so later changes to the caller's object do not move
 * the key).
 *
 * @throws {TypeError} when `service` or `account` is not a non-empty string.
 */
export function readKeychainSignerOptions(options: unknown, caller: string): KeychainSignerOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${caller}: options must be an object { service, account }.`);
  }
  const { service, account } = options as Partial<Record<keyof KeychainSignerOptions, unknown>>;
  if (typeof service !== "string" || service === "") {
    throw new TypeError(`${caller}: options.service must be a non-empty string.`);
  }
  if (typeof account !== "string" || account === "") {
    throw new TypeError(`${caller}: options.account must be a non-empty string.`);
  }
  return { service, account };
}

/** `service "…", account "…"`: how messages name a key (never secret). */
export function describeKeyLocation({ service, account }: KeychainSignerOptions): string {
  return `service ${JSON.stringify(service)}, account ${JSON.stringify(account)}`;
}
