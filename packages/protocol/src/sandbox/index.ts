export * from "./faults";
export * from "./sandbox";
