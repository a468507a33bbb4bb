import type { Context } from "../Context";
import { defaultScopes } from "../Context";
import type { Profile } from "../config/profile";
import { CliError, exitCodes } from "../errors";
import { describeToken, summarizeToken } from "../tokenSummary";
import { loginInBrowser } from "./loginInBrowser";

/** Options of `kontist-auth login`. */
export interface LoginOptions {
  username?: string | undefined;
  browser?: boolean | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  scopes?: string | undefined;
}

/**
 * `login`: gets a token with the password grant (password at a hidden prompt, or from `KONTIST_PASSWORD`
 * or stdin) or, with `--browser`, the authorization code flow with PKCE through a one-shot loopback
 * redirect; saves the profile and the token.
 *
 * @throws {CliError} `USAGE` without a client id; the client's errors (`OAUTH2_ERROR` for a wrong password).
 */
export async function login(context: Context, options: LoginOptions): Promise<void> {
  const previous = await context.findProfile();
  const clientId = options.clientId ?? context.env("KONTIST_CLIENT_ID") ?? previous?.clientId;
  if (clientId === undefined) {
    throw new CliError(
      "USAGE",
      "Which OAuth2 client? Give --client-id or set KONTIST_CLIENT_ID (and KONTIST_CLIENT_SECRET for a confidential client).",
      exitCodes.usage,
    );
  }
  const clientSecret =
    options.clientSecret ??
    context.env("KONTIST_CLIENT_SECRET") ??
    (previous?.clientId === clientId ? previous.clientSecret : undefined);
  const scopes = options.scopes?.split(/[\s,]+/).filter(Boolean) ?? previous?.scopes ?? [...defaultScopes];
  const profile: Profile = { baseUrl: context.baseUrl(previous), clientId, clientSecret, scopes };

  let username: string | undefined;
  let token: Awaited<ReturnType<typeof loginInBrowser>>;
  if (options.browser === true) {
    token = await loginInBrowser(context, profile);
  } else {
    username = options.username ?? context.env("KONTIST_USERNAME") ?? (await context.terminal.ask("E-mail"));
    const password = context.env("KONTIST_PASSWORD") ?? (await context.terminal.secret("Password"));
    const progress = context.terminal.progress(`Logging in as ${username}`);
    try {
      token = await context
        .client(profile)
        .auth.tokenManager.fetchTokenFromCredentials({ username, password });
    } catch (error) {
      progress.fail("Login failed");
      throw error;
    }
    progress.done(`Logged in as ${username}`);
  }

  // The same account on the same API keeps its bound device; another account starts without one.
  const sameAccount =
    previous !== undefined &&
    previous.baseUrl === profile.baseUrl &&
    previous.clientId === clientId &&
    (username === undefined || previous.username === username);
  await context.saveProfile({
    ...profile,
    username: username ?? (sameAccount ? previous.username : undefined),
    device: sameAccount ? previous.device : undefined,
  });

  const summary = summarizeToken(token);
  context.terminal.result({ profile: context.profileName, username, ...summary }, [
    ...describeToken(summary),
    "",
    summary.confirmed
      ? "The token is confirmed."
      : "Not confirmed yet: `kontist-auth confirm --push` (approve on your phone) or `kontist-auth device bind`.",
  ]);
}
