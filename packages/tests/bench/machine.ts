import { cpus, platform, release, totalmem } from "node:os";

/** One line naming the machine and runtime a benchmark ran on, for BENCHMARKS.md. */
export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? "unknown CPU";
  const memory = Math.round(totalmem() / 2 ** 30);
  return `${model}, ${cores.length} cores, ${memory} GiB, ${platform()} ${release()}, Node ${process.version}`;
}
