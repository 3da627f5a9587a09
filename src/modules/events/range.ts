import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { invalidField } from '../../platform/http/errors.ts';
import { listOverridesInRange, type OverrideRow } from './override-queries.ts';
import { listSeriesInRange, type SeriesInRange } from './queries.ts';
import type { RangeParams } from './schemas.ts';
import { accessOf } from './access.ts';
import { OWNER_ACCESS } from './present.ts';
import { type Candidate, longestOccurrenceMs, type Page, pageOf, type Position, type Window } from './occurrence-page.ts';
import { addLocalDays, startOfLocalDay, startOfToday } from '../../platform/time/zoned.ts';

export type { Page, Position, Window } from './occurrence-page.ts';

export const MAX_SPAN_DAYS = 366;
const DEFAULT_SPAN_DAYS = 30;

/** The dashboard's events_today and upcoming's events hold at most this many occurrences (then `truncated`). */
export const VIEW_EVENT_LIMIT = 500;

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

export type OccurrenceFilter = { calendarId?: string | undefined; includeDeclined?: boolean };

/** How much of the window one call answers: at most `limit` occurrences, after `after`. */
export type PageRequest = { limit: number; after?: Position | undefined };

/** What a page of a range is built from: the candidate series and their overrides that can matter, as read. */
export type RangeRows = { series: SeriesInRange[]; overrides: OverrideRow[] };

/**
 * The rows behind the occurrences the user sees in the window: their own series (optionally one
 * calendar) and those they are invited to (declined ones only when asked), and the overrides of
 * those that can reach into the window. Two statements.
 */
export async function readRange(db: Kysely<DB>, userId: string, window: Window, filter: OccurrenceFilter): Promise<RangeRows> {
  const series = await listSeriesInRange(db, userId, { ...window, calendarId: filter.calendarId, includeDeclined: filter.includeDeclined === true });
  const longest = Math.max(0, ...series.map((row) => longestOccurrenceMs(row.event)));
  const search = { from: new Date(window.from.getTime() - longest), to: window.to };
  const overrides = await listOverridesInRange(db, series.map((row) => row.event.id), search, window);
  return { series, overrides };
}

/**
 * What identifies the rows' content, for a digest of them (the answer cache): a series row by its
 * id, version and updated_at (every UPDATE of an event bumps its version and stamps updated_at, by
 * the trigger of 0001_foundation.sql, and a new event has a new id), with the owner's name and
 * address and the user's relation as read; the overrides in full (they carry no version).
 */
export function rangeIdentity(rows: RangeRows): unknown[] {
  const series = rows.series.map(({ event, owner, relation }) => [
    event.id,
    event.version,
    event.updated_at.getTime(),
    relation ? relation.status : 'own',
    relation ? relation.canModify : true,
    owner.id,
    owner.email,
    owner.display_name,
  ]);
  return [series, rows.overrides];
}

/** One page of the range's occurrences, from its rows (no statements). */
export function pageOfRange(rows: RangeRows, window: Window, page: PageRequest): Page {
  const candidates: Candidate[] = rows.series.map(({ relation, ...row }) => ({ ...row, access: relation ? accessOf(relation) : OWNER_ACCESS }));
  const overridesOf = new Map<string, OverrideRow[]>();
  for (const row of rows.overrides) {
    const list = overridesOf.get(row.event_id);
    if (list) list.push(row);
    else overridesOf.set(row.event_id, [row]);
  }
  return pageOf(candidates, overridesOf, window, page.limit, page.after);
}

/**
 * The occurrences the user sees in the window, one page of them: of their own events (optionally
 * one calendar) and of events they are invited to (declined ones only when asked). The one
 * expansion behind GET /api/events, the dashboard and the upcoming timeline. Density never makes
 * it fail: a page holds at most `limit` occurrences, and `next` says where the rest begin.
 */
export async function listOccurrences(db: Kysely<DB>, userId: string, window: Window, filter: OccurrenceFilter, page: PageRequest): Promise<Page> {
  return pageOfRange(await readRange(db, userId, window, filter), window, page);
}
