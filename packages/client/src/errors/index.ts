export { HttpError, isHttpError } from "./HttpError";
export { isNetworkError, NetworkError } from "./NetworkError";
export { isNoTokenError, NoTokenError } from "./NoTokenError";
export { isOAuth2Error, OAuth2Error } from "./OAuth2Error";
export { isTimeoutError, TimeoutError } from "./TimeoutError";
export { isTokenRenewalError, TokenRenewalError } from "./TokenRenewalError";
export { isUnauthorizedError, UnauthorizedError } from "./UnauthorizedError";
