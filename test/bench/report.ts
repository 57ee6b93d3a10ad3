// Shared output format of the benchmarks: each script prints its own human-readable lines, then
// one `BENCH_JSON <json>` line that scripts/bench.mjs collects into the table and latest.json.

export interface BenchRow {
  /** What was measured, e.g. "IMAP FETCH ENVELOPE x100k: ours". */
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. ">= 3x imapflow"; absent when the row is context only. */
  target?: string;
  /** Whether the target is met; absent when there is no target. */
  met?: boolean;
}

export function emitRows(rows: BenchRow[]): void {
  console.log(`BENCH_JSON ${JSON.stringify(rows)}`);
}

/** Wall and CPU time of a synchronous or asynchronous run, in seconds. */
export async function timed(run: () => unknown): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await run();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

/** Best (lowest) of several figures: on a shared 2-core machine the minimum is the least noisy. */
export function best(values: number[]): number {
  return Math.min(...values);
}
