/** What a fragment of one package's docs may use without importing or declaring it. */
export interface SnippetPrelude {
  /** Names imported from another workspace package, by module specifier. */
  imports: Record<string, string[]>;
  /** Free names, each with its type: `declare const client: Client;`. */
  declarations: Record<string, string>;
}

const isKontistAuthError = { "@kontist-auth/protocol": ["isKontistAuthError"] };
const client = 'import("@kontist-auth/client").Client';
const signer = 'import("@kontist-auth/crypto").P256Signer';

/**
 * The preludes of fragments (an `@example` block, or a README block marked `<!-- snippet: fragment -->`),
 * by package directory. Besides its prelude, a fragment sees the runtime and type exports of its
 * package's main entry and, for an `@example`, of the file it documents; every other name it must
 * import or declare itself, so an unknown name fails the check (TS2304) and never compiles as `any`.
 * A name the fragment declares itself (`const client = new Client(…)`) replaces the prelude's.
 *
 * Keep each list to what a reader of that package's docs is told about everywhere: `isKontistAuthError`
 * (the one way to tell errors apart), `error` (what a `catch` receives), and the object the package's
 * examples call (`client`, `signer`, `store`, `sandbox`). A name only one example uses belongs in it.
 */
export const snippetPreludes: Record<string, SnippetPrelude> = {
  client: { imports: {}, declarations: { client, signer, error: "unknown" } },
  crypto: { imports: isKontistAuthError, declarations: { client, signer, error: "unknown" } },
  "crypto-keychain": {
    imports: isKontistAuthError,
    declarations: {
      client,
      signer: 'import("@kontist-auth/crypto-keychain").KeychainSigner',
      error: "unknown",
    },
  },
  "crypto-pkcs11": {
    imports: isKontistAuthError,
    declarations: { client, signer: 'import("@kontist-auth/crypto-pkcs11").Pkcs11Signer', error: "unknown" },
  },
  protocol: { imports: {}, declarations: { error: "unknown" } },
  sandbox: {
    imports: isKontistAuthError,
    declarations: { sandbox: 'import("@kontist-auth/sandbox").RunningSandbox', error: "unknown" },
  },
  "token-store": {
    imports: isKontistAuthError,
    declarations: { store: 'import("@kontist-auth/token-store").TokenStore', error: "unknown" },
  },
  "token-store-redis": { imports: isKontistAuthError, declarations: { error: "unknown" } },
};

/** The package a README fragment outside `packages/` (the root README, an app's) is read against. */
export const defaultFragmentPackage = "client";
