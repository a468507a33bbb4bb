import { project } from "../../vitest.preset.ts";

const config = project("server-example");

/**
 * Vitest hands its resolve conditions to Node (`--conditions`), and the preset's `module` makes Node load
 * OpenTelemetry's ESM build, whose imports have no file extensions (src/telemetry.test.ts fails to load).
 * This app runs on Node alone: it resolves packages as Node does, without `module`.
 */
const withoutModule = (conditions: string[] | undefined) => conditions?.filter((name) => name !== "module");

export default {
  ...config,
  resolve: { ...config.resolve, conditions: withoutModule(config.resolve?.conditions) },
  ssr: {
    ...config.ssr,
    resolve: { ...config.ssr?.resolve, conditions: withoutModule(config.ssr?.resolve?.conditions) },
  },
};
