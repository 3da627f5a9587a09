import { Temporal } from 'temporal-polyfill';
import { beforeEach } from 'vitest';

// A test that works out "today" in a zone on its own side (dateIn), builds records around it and
// then asks the server, which reads the database's clock, fails through no fault of the code when
// a midnight of that zone falls in between: the two sides then mean different days. The view
// tests failed that way at 10:00 UTC (midnight in Pacific/Kiritimati), 11:00 UTC
// (Pacific/Pago_Pago) and 00:00 UTC. Rather than retrying, such a test never starts within its
// own running time of such a midnight: it waits until the midnight has passed, then checks
// exactly what it checked before.

/** Allowance for the database server's clock being a little off the test process's. */
const CLOCK_SKEW_MS = 5_000;

/** Longer than any wait below for a test timeout of up to four minutes. */
const WAIT_TIMEOUT_MS = 5 * 60_000;

/** The first instant of the day after the one `at` falls on in the zone. */
export function nextLocalMidnight(timeZone: string, at: Date): Date {
  const today = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone).toPlainDate();
  return new Date(today.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds);
}

/** Resolves once no midnight of the zones lies within `runsForMs` from now (nor just behind). */
export async function awayFromMidnight(zones: readonly string[], runsForMs: number): Promise<void> {
  for (;;) {
    const now = Date.now();
    const next = Math.min(...zones.map((zone) => nextLocalMidnight(zone, new Date(now - CLOCK_SKEW_MS)).getTime()));
    if (next > now + runsForMs + CLOCK_SKEW_MS) return;
    await new Promise((resolve) => setTimeout(resolve, next + CLOCK_SKEW_MS - now + 1));
  }
}

/**
 * For a suite whose tests compute today in these zones: before each test, waits if a midnight of
 * one of them could fall while the test runs (its timeout bounds how long that is).
 */
export function keepOffMidnight(zones: readonly string[]): void {
  beforeEach(async ({ task }) => awayFromMidnight(zones, task.timeout), WAIT_TIMEOUT_MS);
}
