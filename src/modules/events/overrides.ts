import { z } from 'zod';
import type { OverrideRow } from './override-queries.ts';
import { occurrenceEnd, type SeriesTiming } from './recurrence.ts';

/** The text fields one occurrence may carry on its own, as stored in event_overrides.changes. */
export const OverrideChanges = z.object({
  title: z.string().optional(),
  description: z.string().nullable().optional(),
  location: z.string().nullable().optional(),
});
export type OverrideChanges = z.output<typeof OverrideChanges>;

export function overrideChanges(row: OverrideRow): OverrideChanges {
  return OverrideChanges.parse(row.changes);
}

export type OccurrenceTimes = { start_at: Date; end_at: Date; all_day: boolean };

/** An occurrence's times: its override's when it was moved, else the series' at that start. */
export function occurrenceTimes(series: SeriesTiming, occurrenceStart: Date, override: OverrideRow | undefined): OccurrenceTimes {
  if (override?.start_at && override.end_at && override.all_day !== null) {
    return { start_at: override.start_at, end_at: override.end_at, all_day: override.all_day };
  }
  return { start_at: occurrenceStart, end_at: occurrenceEnd(series, occurrenceStart), all_day: series.all_day };
}

export function byOccurrence(overrides: OverrideRow[]): Map<number, OverrideRow> {
  return new Map(overrides.map((row) => [row.occurrence_start.getTime(), row]));
}

export function cancelledStarts(overrides: OverrideRow[]): Date[] {
  return overrides.filter((row) => row.cancelled).map((row) => row.occurrence_start);
}

/**
 * The earliest start and latest end over a series and its live overrides; `end` null means the
 * series never ends. Stored on the series so the range query can select it in SQL.
 */
export function seriesEnvelope(start: Date, end: Date | null, overrides: OverrideRow[]): { series_start: Date; series_end: Date | null } {
  let seriesStart = start;
  let seriesEnd = end;
  for (const row of overrides) {
    if (row.cancelled || !row.start_at || !row.end_at) continue;
    if (row.start_at < seriesStart) seriesStart = row.start_at;
    if (seriesEnd && row.end_at > seriesEnd) seriesEnd = row.end_at;
  }
  return { series_start: seriesStart, series_end: seriesEnd };
}
