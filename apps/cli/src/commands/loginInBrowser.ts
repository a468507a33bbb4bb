import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Token } from "@kontist-auth/client";
import { createPkceVerifier, createState } from "@kontist-auth/client/oauth";
import type { Context } from "../Context";
import type { Profile } from "../config/profile";
import { CliError, cancelled, exitCodes } from "../errors";

/** How long the loopback server waits for the browser to come back: as long as a login may take. */
const callbackTimeout = 5 * 60_000;

/**
 * Logs in with the authorization code flow and PKCE (RFC 7636) as a native app does (RFC 8252): a
 * one-shot HTTP server on 127.0.0.1 and a free port receives the redirect, the user's browser shows
 * Kontist's login page. The browser is `$BROWSER` when set, else the platform's opener; the URL is
 * printed too, for a browser on another machine. Ctrl-C stops waiting.
 *
 * @throws {CliError} `CANCELLED` on Ctrl-C, `TIMEOUT` after 5 minutes without an answer.
 * @throws the client's errors: `AUTHORIZATION_ERROR` when the login page answers with an error,
 *   `STATE_MISMATCH` for a redirect that is not ours, `OAUTH2_ERROR` when the code is refused.
 */
export async function loginInBrowser(context: Context, profile: Profile): Promise<Token> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  try {
    const { port } = server.address() as AddressInfo;
    const client = context.client(profile, {
      redirectUri: `http://127.0.0.1:${port}/callback`,
      verifier: createPkceVerifier(),
      state: createState(),
    });
    const url = await client.auth.tokenManager.getAuthUri();
    context.terminal.note(`Opening your browser to log in. If it does not open, visit:\n  ${url}`);
    openBrowser(url, context.env("BROWSER"));
    const progress = context.terminal.progress("Waiting for the login in your browser (Ctrl-C to stop)");
    try {
      const callback = await waitForCallback(server, port);
      const token = await client.auth.tokenManager.fetchToken(callback);
      progress.done("Logged in");
      return token;
    } catch (error) {
      progress.fail("Login failed");
      throw error;
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/** Resolves with the first `/callback` URL the browser is sent to, answering it with a short page. */
function waitForCallback(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      reject(new CliError("TIMEOUT", "No answer from the browser within 5 minutes.", exitCodes.network));
    }, callbackTimeout);
    const onInterrupt = () => {
      finish();
      reject(cancelled("Cancelled: the login in the browser was abandoned; nothing was saved."));
    };
    const finish = () => {
      clearTimeout(timer);
      process.removeListener("SIGINT", onInterrupt);
    };
    process.on("SIGINT", onInterrupt);
    server.on("request", (request, response) => {
      const url = new URL(request.url ?? "/", `http://127.0.0.1:${port}`);
      if (url.pathname !== "/callback") {
        response.writeHead(404).end();
        return;
      }
      const failed = url.searchParams.has("error");
      response
        .writeHead(200, {
          "Content-Type": "text/html; charset=utf-8",
          "Content-Security-Policy": "default-src 'none'",
          "Cache-Control": "no-store",
        })
        .end(
          `<!doctype html><title>kontist-auth</title><p>${
            failed
              ? "The login did not succeed; see your terminal."
              : "You are logged in. You can close this tab."
          }</p>`,
        );
      finish();
      resolve(url.href);
    });
  });
}

/** Opens `url` in the user's browser without waiting for it; failures leave the printed URL to use. */
function openBrowser(url: string, browser: string | undefined): void {
  const [command, args] =
    browser !== undefined
      ? [browser, [url]]
      : process.platform === "darwin"
        ? ["open", [url]]
        : process.platform === "win32"
          ? ["rundll32", ["url.dll,FileProtocolHandler", url]]
          : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // The URL is printed; the user can open it by hand.
  }
}
