import { runSeedFlow } from "./seedFlow";

// The seed flow as a script, for Node, Bun and Deno: `node seed-flow.mjs <userUrl>` prints the result as
// one line of JSON; a failure exits non-zero with the error on stderr.

declare const Deno: { args: string[] } | undefined;

const userUrl = typeof Deno === "undefined" ? process.argv[2] : Deno.args[0];
if (userUrl === undefined) throw new TypeError("usage: seed-flow <userUrl>");
console.log(JSON.stringify(await runSeedFlow(userUrl)));
