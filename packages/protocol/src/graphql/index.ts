export * from "./graphql";
