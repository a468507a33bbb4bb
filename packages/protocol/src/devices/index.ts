export * from "./devices";
