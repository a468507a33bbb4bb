import type { SandboxOptions, SandboxStateSize } from "@kontist-auth/sandbox";
import type { LoadReport } from "./loadFlow";

// What the processes of a load run (the sandbox, the driver of the flows) and their parent say to each
// other, one JSON object per line.

/** The sandbox options a load run sets (JSON only: no seeds, no log, no port) and how many users to seed. */
export interface LoadSandboxSettings {
  options: Omit<SandboxOptions, "users" | "clients" | "log" | "port" | "host">;
  /** Users to seed, from `loadUsers(users)`. */
  users: number;
  /** The child ends itself after this many milliseconds, whatever happens. */
  lifetimeMs: number;
}

/** The child's memory, from `process.memoryUsage()`, in bytes. */
export interface SandboxMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** The highest `rss` and `heapUsed` sampled (every 20 ms) since the start or the last `resetPeak`. */
  peakRss: number;
  peakHeapUsed: number;
  /** Open TCP connections to the sandbox (from `process.getActiveResourcesInfo()`). */
  connections: number;
  /** How many entries the sandbox's state holds, per area (`RunningSandbox.stateSize()`). */
  state: SandboxStateSize;
}

/** Parent → child: read the memory, after a full garbage collection when `gc`. */
export interface MeasureRequest {
  type: "measure";
  id: number;
  gc: boolean;
  /** Start the peak over from now (after the reading). */
  resetPeak: boolean;
  /** Back to the seeded state first (`RunningSandbox.reset()`), in process: no connection of the parent. */
  resetState: boolean;
}

/** Child → parent. */
export type LoadSandboxMessage =
  | { type: "ready"; url: string; pid: number }
  | ({ type: "memory"; id: number } & SandboxMemory);

/** The flows a driver process runs: users `from` … `from + count - 1` of `loadUsers`, at `url`. */
export interface LoadDriverSettings {
  url: string;
  from: number;
  count: number;
  /** How long one request may take (the SDK client's and the test client's timeout). */
  timeoutMs: number;
  /** The driver ends itself after this many milliseconds, whatever happens. */
  lifetimeMs: number;
}

/** Driver → parent, once the flows are done. */
export type LoadDriverMessage = { type: "report"; report: LoadReport };
