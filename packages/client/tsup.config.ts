import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.preset.ts";

// `oauth` is its own entry: the browser's OAuth2 building blocks, for apps that run the flow themselves.
const entry = { index: "src/index.ts", oauth: "src/oauth/index.ts" };

export default defineConfig(packageBuild({ entry }));
