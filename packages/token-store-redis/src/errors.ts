import { TokenStoreError } from "@kontist-auth/token-store";

/**
 * Turns whatever a Redis call threw into a `TokenStoreError`. `action` says what the store was doing
 * ("read the token"). A `WRONGTYPE` reply means the key holds another program's data:
 * `TOKEN_STORE_CORRUPT`; anything else is `TOKEN_STORE_ERROR`. The cause keeps only the error's name,
 * message and `code`, because ioredis puts the failed command's arguments (a token, for a write) on it.
 */
export function redisFailure(action: string, error: unknown): TokenStoreError {
  const cause = redactedCause(error);
  if (cause.message.startsWith("WRONGTYPE")) {
    return new TokenStoreError(
      "TOKEN_STORE_CORRUPT",
      `Could not ${action}: the Redis key holds a value of another type, not a token this store wrote. ` +
        "Delete the key or use another prefix.",
      { cause },
    );
  }
  return new TokenStoreError("TOKEN_STORE_ERROR", `Could not ${action} in Redis: ${cause.message}`, {
    cause,
  });
}

function redactedCause(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(`a non-Error value (${typeof error}) was thrown`);
  const cause = new Error(error.message);
  cause.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(cause, { code });
  return cause;
}
