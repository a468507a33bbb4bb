export * from "./faults";
export * from "./sandbox";
export * from "./transactions";
