import type { Context } from "../Context";
import { describeToken, summarizeToken } from "../tokenSummary";

/**
 * `token show [--reveal]`: the profile's token — user, scopes, expiry, confirmed; the access token
 * itself only with `--reveal` (it lets anyone who sees it act as the user until it expires).
 *
 * @throws {CliError} `NOT_LOGGED_IN` (exit 3) without a token.
 */
export async function showToken(context: Context, options: { reveal?: boolean | undefined }): Promise<void> {
  const { client, profile } = await context.loggedInClient();
  const token = await client.auth.tokenManager.loadToken();
  if (token === null) return; // loggedInClient() has checked it is there
  const summary = summarizeToken(token);
  const reveal = options.reveal === true;
  context.terminal.result(
    {
      profile: context.profileName,
      username: profile.username,
      ...summary,
      ...(reveal ? { accessToken: token.accessToken } : {}),
    },
    [
      `Profile:    ${context.profileName}${profile.username ? ` (${profile.username})` : ""} on ${context.baseUrl(profile)}`,
      ...describeToken(summary),
      ...(reveal ? [`Token:      ${token.accessToken}`] : []),
    ],
  );
}

/**
 * `token refresh`: renews the token now with the refresh token (a confirmed one stays confirmed).
 *
 * @throws the client's `TOKEN_RENEWAL_FAILED` / `OAUTH2_ERROR` when it cannot be renewed (exit 4).
 */
export async function refreshToken(context: Context): Promise<void> {
  const { client } = await context.loggedInClient();
  const summary = summarizeToken(await client.auth.tokenManager.refresh());
  context.terminal.result(summary, ["Refreshed.", ...describeToken(summary)]);
}
