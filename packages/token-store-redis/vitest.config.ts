import { project } from "../../vitest.preset.ts";

export default project("token-store-redis");
