import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { OAuth2Error } from "../oauth/OAuth2Error";
import { ApiError } from "./ApiError";
import { errorResponseFor, oauth2ErrorResponse } from "./errorResponse";
import type { SandboxEnv } from "./SandboxEnv";

/**
 * The app's error handler: known errors become their 4xx JSON answer; anything else is a 500 with a
 * generic message. The log line names the error and where it came from, never its message (which could
 * quote a request). A request whose body never arrived whole (the connection closed, or `requestTimeout`
 * cut it off with 408) is no server error: it is answered 408 (to nobody) and not logged as unexpected.
 */
export function handleError(log: (line: string) => void) {
  return (error: Error, c: Context): Response => {
    if ((c.env as SandboxEnv["Bindings"] | undefined)?.incoming?.readableAborted === true) {
      return errorResponseFor(c, 408, "The request did not arrive whole (timed out or cut off).");
    }
    if (error instanceof OAuth2Error) {
      return oauth2ErrorResponse(c, error.status, error.error, error.message, error.headers);
    }
    if (error instanceof ApiError) return errorResponseFor(c, error.status, error.message, error.headers);
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponseFor(c, error.status, "The request could not be processed.");
    }
    const where = error.stack?.split("\n").slice(1, 4).join(" | ").replace(/\s+/g, " ") ?? "";
    log(`Unexpected ${error.name} in ${c.req.method} ${c.req.path}: ${where}`);
    return errorResponseFor(c, 500, "Internal server error.");
  };
}
