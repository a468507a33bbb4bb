import { createPkceVerifier, createState } from "@kontist-auth/client/oauth";

/** The PKCE verifier and `state` of one login (RFC 7636 §4.1, RFC 6749 §10.12). */
export interface PkcePair {
  verifier: string;
  state: string;
}

// sessionStorage is per tab, so a login started in one tab is finished only by that tab.
const storageKey = "kontist-web-demo:pending-login";

/** A fresh verifier and state, from the platform's CSPRNG. */
export function createPkcePair(): PkcePair {
  return { verifier: createPkceVerifier(), state: createState() };
}

/** Keeps the pair across the redirect to the authorization page. */
export function savePendingLogin(storage: Storage, pair: PkcePair): void {
  storage.setItem(storageKey, JSON.stringify(pair));
}

/** Reads and removes the pair of the login this tab started; `undefined` when there is none. */
export function takePendingLogin(storage: Storage): PkcePair | undefined {
  const saved = storage.getItem(storageKey);
  storage.removeItem(storageKey);
  if (saved === null) return undefined;
  try {
    const { verifier, state } = JSON.parse(saved) as Partial<PkcePair>;
    return typeof verifier === "string" && typeof state === "string" ? { verifier, state } : undefined;
  } catch {
    return undefined;
  }
}
