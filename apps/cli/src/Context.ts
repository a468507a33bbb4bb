import { Client, type ClientOptions, clientDefaults } from "@kontist-auth/client";
import { fileStore } from "@kontist-auth/token-store/file";
import { configDir } from "./config/configDir";
import { type Profile, type ProfilePaths, profilePaths, readProfile, writeProfile } from "./config/profile";
import { CliError, exitCodes } from "./errors";
import { Terminal } from "./terminal/Terminal";

/** The options every command takes (`--json`, `--base-url`, `--profile`). */
export interface GlobalOptions {
  json?: boolean | undefined;
  baseUrl?: string | undefined;
  profile?: string | undefined;
}

/** The scopes `login` asks for unless told otherwise: enough for device binding, MFA and GraphQL. */
export const defaultScopes = ["offline", "users", "accounts", "subscriptions"] as const;

/**
 * What a command runs with: the terminal, the environment, the profile's files, and clients made from
 * the profile. One per run of the CLI.
 */
export class Context {
  readonly terminal: Terminal;
  readonly paths: ProfilePaths;
  readonly profileName: string;
  readonly #options: GlobalOptions;
  readonly #env: NodeJS.ProcessEnv;
  readonly #clients: Client[] = [];

  /**
   * @throws {CliError} `USAGE` when the profile name is not a valid folder name.
   */
  constructor(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env) {
    this.#options = options;
    this.#env = env;
    this.terminal = new Terminal(options.json === true);
    this.profileName = options.profile ?? env.KONTIST_PROFILE ?? "default";
    this.paths = profilePaths(configDir(env), this.profileName);
  }

  /** An environment variable, or `undefined` when unset or empty. */
  env(name: string): string | undefined {
    const value = this.#env[name];
    return value === undefined || value === "" ? undefined : value;
  }

  /** The API's base URL: `--base-url`, else `KONTIST_BASE_URL`, else the profile's, else the real API. */
  baseUrl(profile?: Profile): string {
    return (
      this.#options.baseUrl ?? this.env("KONTIST_BASE_URL") ?? profile?.baseUrl ?? clientDefaults.baseUrl
    );
  }

  /** The profile, or `undefined` before the first `login`. */
  async findProfile(): Promise<Profile | undefined> {
    return readProfile(this.paths);
  }

  /**
   * The profile.
   *
   * @throws {CliError} `NOT_LOGGED_IN` (exit 3) before the first `login` of this profile.
   */
  async profile(): Promise<Profile> {
    const profile = await readProfile(this.paths);
    if (profile === undefined) {
      throw new CliError(
        "NOT_LOGGED_IN",
        `Profile "${this.profileName}" is not logged in; run \`kontist-auth login\` first.`,
        exitCodes.notLoggedIn,
      );
    }
    return profile;
  }

  /** Saves the profile (0600). */
  async saveProfile(profile: Profile): Promise<void> {
    await writeProfile(this.paths, profile);
  }

  /**
   * A client for the profile, whose tokens live in the profile's `tokens.json` (0600, shared safely with
   * other runs of the CLI). `extra` adds options, e.g. the authorization code flow's.
   *
   * @throws {TypeError} when an option is invalid (e.g. an `http:` base URL that is not loopback).
   */
  client(profile: Profile, extra: Partial<ClientOptions> = {}): Client {
    const client = new Client({
      baseUrl: this.baseUrl(profile),
      clientId: profile.clientId,
      clientSecret: profile.clientSecret,
      scopes: profile.scopes,
      tokenStore: fileStore(this.paths.tokens),
      ...extra,
    });
    this.#clients.push(client);
    return client;
  }

  /**
   * A client with the profile's token loaded; `extra` adds options.
   *
   * @throws {CliError} `NOT_LOGGED_IN` (exit 3) when the profile has no token.
   * @throws {TokenStoreError} when the token file cannot be read safely.
   */
  async loggedInClient(extra: Partial<ClientOptions> = {}): Promise<{ client: Client; profile: Profile }> {
    const profile = await this.profile();
    const client = this.client(profile, extra);
    if ((await client.auth.tokenManager.loadToken()) === null) {
      throw new CliError(
        "NOT_LOGGED_IN",
        `Profile "${this.profileName}" has no token; run \`kontist-auth login\`.`,
        exitCodes.notLoggedIn,
      );
    }
    return { client, profile };
  }

  /** Waits until every token the clients hold is written to the profile's file, then stops reading stdin. */
  async close(): Promise<void> {
    this.terminal.close();
    await Promise.all(this.#clients.map((client) => client.auth.tokenManager.flush()));
  }
}
