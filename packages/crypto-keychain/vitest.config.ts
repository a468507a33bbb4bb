import { project } from "../../vitest.preset.ts";

// The tests run against a real Secret Service; the global setup provides one when the session has none.
export default project("crypto-keychain", { test: { globalSetup: ["./test/globalSetup.ts"] } });
