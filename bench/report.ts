export type Figures = { requestsPerSecond: number; p50: number; p99: number; errors: number; non2xx: number };
export type Measurement = { name: string; umbra: Figures; floor: Figures | undefined; rssMb: number };

const TARGET_RATIO = 0.6;
const TARGET_P99_MS = 25;
const TARGET_RSS_MB = 200;

function pad(value: string, width: number): string {
  return value.length >= width ? value : value + ' '.repeat(width - value.length);
}

/** The table of the run, with each target marked as met (ok) or missed (MISS). */
export function printReport(run: { scale: number; duration: number; connections: number; measurements: Measurement[] }): void {
  const header = ['endpoint', 'req/s', 'floor req/s', 'of floor', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'RSS MB'];
  const widths = [44, 9, 12, 10, 8, 8, 7, 8, 8];
  const line = (cells: string[]) => cells.map((cell, index) => pad(cell, widths[index] ?? 8)).join(' ');
  console.log(`\nUMBRA bench: scale ${run.scale}, ${run.connections} connections, ${run.duration} s per endpoint`);
  console.log(line(header));
  for (const { name, umbra, floor, rssMb } of run.measurements) {
    const ratio = floor ? umbra.requestsPerSecond / floor.requestsPerSecond : undefined;
    console.log(
      line([
        name,
        umbra.requestsPerSecond.toFixed(0),
        floor ? floor.requestsPerSecond.toFixed(0) : '-',
        ratio === undefined ? '-' : `${(ratio * 100).toFixed(0)}% ${ratio >= TARGET_RATIO ? 'ok' : 'MISS'}`,
        String(umbra.p50),
        `${umbra.p99} ${umbra.p99 < TARGET_P99_MS ? 'ok' : 'MISS'}`,
        String(umbra.errors),
        String(umbra.non2xx),
        `${rssMb.toFixed(0)} ${rssMb < TARGET_RSS_MB ? 'ok' : 'MISS'}`,
      ]),
    );
  }
  console.log(`targets: >= ${TARGET_RATIO * 100}% of the floor on reads, p99 < ${TARGET_P99_MS} ms, 0 errors, RSS < ${TARGET_RSS_MB} MB`);
}
