import { run } from "./program";

// `kontist-auth`: see program.ts. Exits once its output is written: a prompt library may leave stdin
// open, and nothing is left to do once a command has answered.
run(process.argv.slice(2)).then(async (code) => {
  process.exitCode = code;
  const pending = [process.stdout, process.stderr].filter((stream) => stream.writableLength > 0);
  await Promise.all(pending.map((stream) => new Promise((resolve) => stream.once("drain", resolve))));
  process.exit(code);
});
