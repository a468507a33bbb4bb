export * from "./deviceBinding";
export * from "./devices";
