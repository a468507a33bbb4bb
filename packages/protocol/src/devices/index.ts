export * from "./devices";
export * from "./deviceBinding";
