import { runSeedFlow } from "./seedFlow";

// The seed flow in a web page: the test calls `window.runSeedFlow(userUrl)` (page.evaluate).

(globalThis as { runSeedFlow?: typeof runSeedFlow }).runSeedFlow = runSeedFlow;
