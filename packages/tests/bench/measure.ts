/** Latency and throughput of one benchmarked operation. */
export interface Measurement {
  name: string;
  operations: number;
  /** Mean wall time per operation, in microseconds. */
  meanMicros: number;
  /** Median wall time per operation, in microseconds. */
  medianMicros: number;
  /** Operations per second, run one after another. */
  perSecond: number;
}

/**
 * Runs `operation` `warmup` times unmeasured, then `count` times one after another, timing each call.
 * `input(i)` gives the argument of call i, so every contender sees the same inputs.
 */
export async function measure<T>(
  name: string,
  count: number,
  input: (index: number) => T,
  operation: (value: T) => unknown,
  warmup = Math.min(200, count),
): Promise<Measurement> {
  for (let index = 0; index < warmup; index++) await operation(input(index));
  const samples = new Float64Array(count);
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const value = input(index);
    const before = performance.now();
    await operation(value);
    samples[index] = performance.now() - before;
  }
  const total = performance.now() - started;
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    name,
    operations: count,
    meanMicros: (samples.reduce((sum, sample) => sum + sample, 0) / count) * 1000,
    medianMicros: (sorted[Math.floor(count / 2)] ?? 0) * 1000,
    perSecond: count / (total / 1000),
  };
}

/** Operations per second with `concurrency` calls in flight at once, over the same inputs. */
export async function throughput<T>(
  count: number,
  concurrency: number,
  input: (index: number) => T,
  operation: (value: T) => unknown,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await operation(input(next++));
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
