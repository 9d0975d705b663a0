/** Small timing helpers shared by the benchmark sections. */

/** Runs `work` `runs` times and returns the median duration in milliseconds. */
export async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Tracks the process's peak resident set size while `work` runs, sampling every 5 ms. */
export async function peakRssMb<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakMb: peak / 1048576 };
  } finally {
    clearInterval(timer);
  }
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Prints one result line: label, figure, and the goal it is measured against. */
export function report(label: string, figure: string, goal = ''): void {
  process.stdout.write(`  ${label.padEnd(44)} ${figure.padStart(14)}${goal ? `   (${goal})` : ''}\n`);
}
