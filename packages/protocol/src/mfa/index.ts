export * from "./mfa";
