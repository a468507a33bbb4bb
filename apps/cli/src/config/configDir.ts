import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The folder the CLI keeps its profiles in: `$KONTIST_AUTH_CONFIG_DIR` when set; otherwise the platform's
 * per-user config folder — `$XDG_CONFIG_HOME/kontist-auth` (default `~/.config/kontist-auth`) on Linux and
 * other Unixes, `~/Library/Application Support/kontist-auth` on macOS, `%APPDATA%\kontist-auth` on Windows.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.KONTIST_AUTH_CONFIG_DIR) return env.KONTIST_AUTH_CONFIG_DIR;
  if (platform === "darwin") return join(homedir(), "Library", "Application Support", "kontist-auth");
  if (platform === "win32") {
    return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "kontist-auth");
  }
  return join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "kontist-auth");
}
