export type { StoredToken, TokenStore, TokenStoreLock, TokenStoreLockOptions } from "./store/TokenStore";
