import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { invalidField } from '../../platform/http/errors.ts';
import { listOverridesInRange, type OverrideRow } from './override-queries.ts';
import { type EventWithOwner, listInvitedSeriesInRange, listOwnedSeriesInRange } from './queries.ts';
import type { OccurrenceBody, RangeParams } from './schemas.ts';
import { accessOf } from './access.ts';
import { type Access, eventSummary, OWNER_ACCESS, occurrenceBody } from './present.ts';
import { byOccurrence, cancelledStarts, occurrenceTimes } from './overrides.ts';
import { occurrenceStarts } from './recurrence.ts';
import { timingOf } from './series.ts';
import { addLocalDays, startOfLocalDay, startOfToday } from '../../platform/time/zoned.ts';

/** At most this many occurrences per range request; a range holding more is a 400. */
export const MAX_OCCURRENCES = 5000;
export const MAX_SPAN_DAYS = 366;
const DEFAULT_SPAN_DAYS = 30;

export type Window = { from: Date; to: Date };

/**
 * `from`/`to` as instants, or dates meaning 00:00 in the user's zone. Without `from`, today
 * 00:00 there (or 30 days before a given `to`); without `to`, 30 days after `from`.
 */
export function resolveWindow(params: Pick<RangeParams, 'from' | 'to'>, timezone: string): Window {
  const read = (value: Date | string) => (typeof value === 'string' ? startOfLocalDay(value, timezone) : value);
  const givenTo = params.to === undefined ? undefined : read(params.to);
  const from = params.from === undefined ? (givenTo ? addLocalDays(givenTo, -DEFAULT_SPAN_DAYS, timezone) : startOfToday(timezone)) : read(params.from);
  const to = givenTo ?? addLocalDays(from, DEFAULT_SPAN_DAYS, timezone);
  if (to <= from) throw invalidField('to', 'Must be after from');
  if (to > addLocalDays(from, MAX_SPAN_DAYS, timezone)) throw invalidField('to', `The range may span at most ${MAX_SPAN_DAYS} days`);
  return { from, to };
}

function overlaps(times: { start_at: Date; end_at: Date }, window: Window): boolean {
  if (times.start_at >= window.to) return false;
  // A zero-length occurrence overlaps when it starts inside [from, to).
  if (times.end_at.getTime() === times.start_at.getTime()) return times.start_at >= window.from;
  return times.end_at > window.from;
}

/** The longest an occurrence of the series can last (all-day days vary by an hour across DST). */
function longestOccurrenceMs(series: EventWithOwner['event']): number {
  return series.end_at.getTime() - series.start_at.getTime() + (series.all_day ? 3_600_000 : 0);
}

export type Candidate = EventWithOwner & { access: Access };

/** The request field a range holding more than MAX_OCCURRENCES is blamed on, and what to do instead. */
export type Overflow = { field: string; advice: string };
const RANGE_OVERFLOW: Overflow = { field: 'to', advice: 'ask for a shorter range' };

function tooMany(overflow: Overflow): never {
  throw invalidField(overflow.field, `The range holds more than ${MAX_OCCURRENCES} occurrences; ${overflow.advice}`);
}

export type OccurrenceFilter = { calendarId?: string | undefined; includeDeclined?: boolean; overflow?: Overflow };

/**
 * The occurrences the user sees in the window: of their own events (optionally one calendar)
 * and of events they are invited to (declined ones only when asked). The one expansion behind
 * GET /api/events, the dashboard and the upcoming timeline.
 */
export async function listOccurrences(db: Kysely<DB>, userId: string, window: Window, filter: OccurrenceFilter = {}): Promise<OccurrenceBody[]> {
  const [owned, invited] = await Promise.all([
    listOwnedSeriesInRange(db, userId, { ...window, calendarId: filter.calendarId }),
    // Invited events sit in no calendar of the user's, so a calendar filter leaves them out.
    filter.calendarId ? [] : listInvitedSeriesInRange(db, userId, { ...window, includeDeclined: filter.includeDeclined === true }),
  ]);
  const candidates = [...owned.map((row) => ({ ...row, access: OWNER_ACCESS })), ...invited.map((row) => ({ ...row, access: accessOf(row.relation) }))];
  return expandCandidates(db, candidates, window, filter.overflow);
}

/**
 * Every occurrence of the candidate series that overlaps the window, overrides applied, sorted
 * by start then id. Expansion stops at the window's end and at the cap.
 */
export async function expandCandidates(
  db: Kysely<DB>,
  candidates: Candidate[],
  window: Window,
  overflow: Overflow = RANGE_OVERFLOW,
): Promise<OccurrenceBody[]> {
  const longest = Math.max(0, ...candidates.map((candidate) => longestOccurrenceMs(candidate.event)));
  const search = { from: new Date(window.from.getTime() - longest), to: window.to };
  const overrides = await listOverridesInRange(db, candidates.map((candidate) => candidate.event.id), search, window);
  const overridesOf = new Map<string, OverrideRow[]>();
  for (const row of overrides) {
    const list = overridesOf.get(row.event_id);
    if (list) list.push(row);
    else overridesOf.set(row.event_id, [row]);
  }
  const items: OccurrenceBody[] = [];
  for (const candidate of candidates) {
    const own = overridesOf.get(candidate.event.id) ?? [];
    items.push(...expandOne(candidate, own, window, MAX_OCCURRENCES - items.length, overflow));
    if (items.length > MAX_OCCURRENCES) tooMany(overflow);
  }
  return items.sort((a, b) => a.start_at.getTime() - b.start_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function expandOne(candidate: Candidate, overrides: OverrideRow[], window: Window, remaining: number, overflow: Overflow): OccurrenceBody[] {
  const { event, owner, access } = candidate;
  const series = timingOf(event);
  const searchFrom = new Date(window.from.getTime() - longestOccurrenceMs(event));
  const starts = occurrenceStarts(series, cancelledStarts(overrides), searchFrom, window.to, remaining);
  if (starts.length > remaining) tooMany(overflow);
  const overrideOf = byOccurrence(overrides);
  const seen = new Set(starts.map((start) => start.getTime()));
  // Occurrences moved into the window from a start outside the searched span.
  const searched = (start: Date) => start >= searchFrom && start < window.to;
  const movedIn = overrides.filter((row) => !row.cancelled && row.start_at && !searched(row.occurrence_start) && !seen.has(row.occurrence_start.getTime()));
  const summary = eventSummary(event, owner, access);
  const items: OccurrenceBody[] = [];
  for (const start of [...starts, ...movedIn.map((row) => row.occurrence_start)]) {
    const override = overrideOf.get(start.getTime());
    const times = occurrenceTimes(series, start, override);
    if (overlaps(times, window)) items.push(occurrenceBody(summary, start, times, override));
  }
  return items;
}
