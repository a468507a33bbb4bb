export * from "./authorize";
export * from "./pkce";
export * from "./scopes";
export * from "./token";
