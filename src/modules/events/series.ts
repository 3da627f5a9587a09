import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { invalidField } from '../../platform/http/errors.ts';
import { deleteOverrides, type OverrideRow } from './override-queries.ts';
import type { EventRow, NewEvent } from './queries.ts';
import { seriesEnvelope } from './overrides.ts';
import { expandableTiming, isOccurrence, type SeriesTiming, seriesEnd } from './recurrence.ts';
import type { RuleChecker } from './rule-checker.ts';
import type { Timing } from './timing.ts';

/** What defines a series' occurrences. */
export type SeriesDefinition = Timing & { rrule: string | null };

export function definitionOf(event: EventRow): SeriesDefinition {
  return { start_at: event.start_at, end_at: event.end_at, all_day: event.all_day, timezone: event.timezone, rrule: event.rrule };
}

export function timingOf(event: EventRow): SeriesTiming {
  return { ...definitionOf(event), rule_until: event.rule_until };
}

/**
 * Checks the rule against the series' start; a rule that cannot be written or expanded is a 400
 * on `rrule`. `writtenNow`: the request sets the rule or the times (else both are the stored ones).
 */
export async function checkedTiming(rules: RuleChecker, definition: SeriesDefinition, writtenNow = true): Promise<SeriesTiming> {
  const timing = await expandableTiming(rules, definition, writtenNow);
  if ('problem' in timing) throw invalidField('rrule', timing.problem);
  return timing;
}

/**
 * The stored columns that follow from a series' definition and overrides: the expansion helper
 * for COUNT rules and the bounds the range query selects by.
 */
export function derivedColumns(timing: SeriesTiming, overrides: OverrideRow[]): Pick<NewEvent, 'rule_until' | 'series_start' | 'series_end'> {
  return { rule_until: timing.rule_until, ...seriesEnvelope(timing.start_at, seriesEnd(timing), overrides) };
}

/**
 * Drops the overrides whose occurrence the (changed) series no longer has; returns those kept.
 * A series that stopped recurring keeps none.
 */
export async function pruneOverrides(trx: Kysely<DB>, eventId: string, timing: SeriesTiming, overrides: OverrideRow[]): Promise<OverrideRow[]> {
  const kept = timing.rrule ? overrides.filter((row) => isOccurrence(timing, [], row.occurrence_start)) : [];
  const dropped = overrides.filter((row) => !kept.includes(row)).map((row) => row.occurrence_start);
  await deleteOverrides(trx, eventId, dropped);
  return kept;
}
