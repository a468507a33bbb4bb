export * from "./authorize";
export * from "./scopes";
export * from "./token";
