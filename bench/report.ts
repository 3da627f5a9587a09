export type Figures = {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU per request of the process serving it (all its threads) and of PostgreSQL (all its processes). */
  serverCpuMs: number;
  postgresCpuMs: number;
};
export type Measurement = {
  name: string;
  umbra: Figures;
  floor: Figures | undefined;
  exact: Figures | undefined;
  /** On the stack floor (bench/stack-floor.ts), where measured. */
  stack?: Figures | undefined;
  rssMb: number;
};
/** The month view at scale 1 (small) and 10 (large). */
export type Growth = { small: Figures; large: Figures };

const TARGET_RATIO = 0.6;
const TARGET_P99_MS = 25;
const TARGET_RSS_MB = 200;
const TARGET_GROWTH = 1.5;
const TARGET_MONTH_GAIN = 2;

function pad(value: string, width: number): string {
  return value.length >= width ? value : value + ' '.repeat(width - value.length);
}

const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');

/** The table of the run, with each target marked as met (ok) or missed (MISS). */
export function printReport(run: {
  scale: number;
  duration: number;
  connections: number;
  measurements: Measurement[];
  growth: Growth | undefined;
  /** The month view's two rows: answered from the answer cache, and on a server without one. */
  monthView: { cached: string; uncached: string };
}): void {
  const header = ['endpoint', 'req/s', 'floor req/s', 'of floor', 'exact req/s', 'of exact', 'p50 ms', 'p99 ms', 'floor p50/p99', 'CPU ms/req', 'floor CPU', 'exact CPU', 'errors', 'non-2xx', 'RSS MB'];
  const widths = [40, 7, 12, 10, 12, 10, 7, 9, 14, 11, 10, 10, 7, 8, 8];
  const ratioCell = (ours: Figures, theirs: Figures | undefined) => {
    if (!theirs) return '-';
    const ratio = ours.requestsPerSecond / theirs.requestsPerSecond;
    return `${(ratio * 100).toFixed(0)}% ${mark(ratio >= TARGET_RATIO)}`;
  };
  // Server + PostgreSQL CPU per request, in ms.
  const cpuCell = (figures: Figures | undefined) => (figures ? `${figures.serverCpuMs.toFixed(1)}+${figures.postgresCpuMs.toFixed(1)}` : '-');
  const line = (cells: string[]) => cells.map((cell, index) => pad(cell, widths[index] ?? 8)).join(' ');
  console.log(`\nUMBRA bench: scale ${run.scale}, ${run.connections} connections, ${run.duration} s per endpoint`);
  console.log(line(header));
  for (const { name, umbra, floor, exact, rssMb } of run.measurements) {
    console.log(
      line([
        name,
        umbra.requestsPerSecond.toFixed(0),
        floor ? floor.requestsPerSecond.toFixed(0) : '-',
        ratioCell(umbra, floor),
        exact ? exact.requestsPerSecond.toFixed(0) : '-',
        ratioCell(umbra, exact),
        String(umbra.p50),
        `${umbra.p99} ${mark(umbra.p99 < TARGET_P99_MS)}`,
        floor ? `${floor.p50}/${floor.p99}` : '-',
        cpuCell(umbra),
        cpuCell(floor),
        cpuCell(exact),
        `${umbra.errors} ${mark(umbra.errors === 0)}`,
        String(umbra.non2xx),
        `${rssMb.toFixed(0)} ${mark(rssMb < TARGET_RSS_MB)}`,
      ]),
    );
  }
  if (run.growth) {
    const { small, large } = run.growth;
    const growth = large.p50 / small.p50;
    console.log(
      `month view p50: ${small.p50} ms at scale 1, ${large.p50} ms at scale 10 (${small.requestsPerSecond.toFixed(0)} -> ${large.requestsPerSecond.toFixed(0)} req/s): ` +
        `${growth.toFixed(2)}x ${mark(growth < TARGET_GROWTH)}`,
    );
  }
  for (const { name, umbra, stack } of run.measurements) {
    if (!stack) continue;
    console.log(
      `${name} on the stack floor (fastify, helmet, cookie, session lookup, the insert; none of UMBRA's own request work): ` +
        `${stack.requestsPerSecond.toFixed(0)} req/s (${stack.non2xx} non-2xx, ${stack.errors} errors), CPU ${cpuCell(stack)} ms/req; UMBRA at ${((umbra.requestsPerSecond / stack.requestsPerSecond) * 100).toFixed(0)}% of it`,
    );
  }
  const cached = run.measurements.find((measurement) => measurement.name === run.monthView.cached);
  const uncached = run.measurements.find((measurement) => measurement.name === run.monthView.uncached);
  if (cached && uncached) {
    const gain = cached.umbra.requestsPerSecond / uncached.umbra.requestsPerSecond;
    console.log(
      `month view: ${cached.umbra.requestsPerSecond.toFixed(0)} req/s repeated (answer cache), ${uncached.umbra.requestsPerSecond.toFixed(0)} req/s building every answer: ` +
        `${gain.toFixed(2)}x ${mark(gain >= TARGET_MONTH_GAIN)} (target ${TARGET_MONTH_GAIN}x, or ${TARGET_RATIO * 100}% of the exact floor)`,
    );
  }
  console.log(
    `CPU ms/req: the serving process (all threads) + PostgreSQL (all processes), per request\n` +
      `exact: the floor sending UMBRA's statements (its session lookup too) and, for reads, UMBRA's body\n` +
      `targets: >= ${TARGET_RATIO * 100}% of the floor (the month view: of the exact floor), p99 < ${TARGET_P99_MS} ms, 0 errors, RSS < ${TARGET_RSS_MB} MB, ` +
      `month view p50 < ${TARGET_GROWTH}x at 10x the data`,
  );
}
