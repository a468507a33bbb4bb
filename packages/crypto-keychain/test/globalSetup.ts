import { ensureSecretService } from "./secretService";

/**
 * Vitest global setup of the crypto-keychain project: a usable Secret Service for every test file
 * (see `ensureSecretService`), ended after the run.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const session = await ensureSecretService();
  return () => session.stop();
}
