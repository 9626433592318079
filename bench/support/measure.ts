/**
 * A tiny synchronous micro-benchmark, timed per call with performance.now() like the crypto-lab
 * figures (median over the runs after a warm-up; research/crypto-lab.md, "Timing method").
 */
export interface Measurement {
  name: string;
  runs: number;
  medianMs: number;
  /** 1000 / median. */
  opsPerSec: number;
  /** runs / total wall time of the measured loop (includes GC pauses). */
  opsPerSecWall: number;
}

export interface MeasureOptions {
  /** Calls before timing starts. Default 50. */
  warmup?: number;
  /** At least this many timed calls. Default 300. */
  minRuns?: number;
  /** And keep going until this much time has passed. Default 1500 ms. */
  minMs?: number;
}

export function measure(name: string, fn: () => unknown, options: MeasureOptions = {}): Measurement {
  const { warmup = 50, minRuns = 300, minMs = 1500 } = options;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  const wall = performance.now() - start;
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const medianMs = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return {
    name,
    runs: times.length,
    medianMs,
    opsPerSec: 1000 / medianMs,
    opsPerSecWall: (times.length * 1000) / wall,
  };
}

/** Prints the measurements as a table, each rate also as a percentage of `baseline`'s. */
export function printRelativeTo(baseline: Measurement, rows: readonly Measurement[]): void {
  const table = [['path', 'runs', 'median ms', 'ops/s (median)', 'ops/s (wall)', 'vs raw']];
  for (const m of rows) {
    table.push([
      m.name,
      String(m.runs),
      m.medianMs.toFixed(3),
      m.opsPerSec.toFixed(0),
      m.opsPerSecWall.toFixed(0),
      `${((100 * m.opsPerSec) / baseline.opsPerSec).toFixed(0)}%`,
    ]);
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  for (const r of table)
    console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}
