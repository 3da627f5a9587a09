import type { OverrideRow } from './override-queries.ts';
import type { EventWithOwner } from './queries.ts';
import type { OccurrenceBody } from './schemas.ts';
import { type Access, eventSummary, occurrenceBody } from './present.ts';
import { byOccurrence, cancelledStarts, type OccurrenceTimes, occurrenceTimes } from './overrides.ts';
import { occurrenceStarts } from './recurrence.ts';
import { timingOf } from './series.ts';

// One page of occurrences out of many series, in the contract's order (start_at, then id, then
// the original start), without expanding what the page cannot hold: each series yields at most
// one more than the page, and once the page is full, the start of its last place bounds what
// the following series are expanded to. However dense a series (an invitation with an hourly
// rule, or a SECONDLY one stored before such rules were refused), a page costs about the page.

export type Window = { from: Date; to: Date };
export type Candidate = EventWithOwner & { access: Access };

/** Where an occurrence sits in the order; a page token carries the last one of a page. */
export type Position = { start: number; id: string; original: number };

type Entry = { key: Position; candidate: Candidate; original: Date; times: OccurrenceTimes; override: OverrideRow | undefined };

export function comparePositions(a: Position, b: Position): number {
  return a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || a.original - b.original;
}

function overlaps(times: { start_at: Date; end_at: Date }, window: Window): boolean {
  if (times.start_at >= window.to) return false;
  // A zero-length occurrence overlaps when it starts inside [from, to).
  if (times.end_at.getTime() === times.start_at.getTime()) return times.start_at >= window.from;
  return times.end_at > window.from;
}

/** The longest an occurrence of the series can last (all-day days vary by an hour across DST). */
export function longestOccurrenceMs(series: EventWithOwner['event']): number {
  return series.end_at.getTime() - series.start_at.getTime() + (series.all_day ? 3_600_000 : 0);
}

type Bounds = { window: Window; after: Position | undefined; horizon: number; cap: number };

/**
 * The series' occurrences that overlap the window, come after `after` and start no later than
 * `horizon`, in order, at most `cap`. Unmoved occurrences start at their original start, so
 * expanding the rule from the cursor on finds them; moved ones come from their override rows.
 */
function entriesOf(candidate: Candidate, overrides: OverrideRow[], { window, after, horizon, cap }: Bounds): Entry[] {
  const { event } = candidate;
  const series = timingOf(event);
  const moved = overrides.filter((row) => !row.cancelled && row.start_at && row.end_at && row.all_day !== null);
  const movedStarts = new Set(moved.map((row) => row.occurrence_start.getTime()));
  const overrideOf = byOccurrence(overrides);
  const from = Math.max(window.from.getTime() - longestOccurrenceMs(event), after?.start ?? -Infinity);
  const to = Math.min(window.to.getTime(), horizon + 1);
  const starts = from < to ? occurrenceStarts(series, cancelledStarts(overrides), new Date(from), new Date(to), cap + moved.length + 1) : [];
  const entries: Entry[] = [];
  const add = (original: Date, override: OverrideRow | undefined) => {
    const times = occurrenceTimes(series, original, override);
    const key = { start: times.start_at.getTime(), id: event.id, original: original.getTime() };
    if (!overlaps(times, window) || key.start > horizon || (after && comparePositions(key, after) <= 0)) return;
    entries.push({ key, candidate, original, times, override });
  };
  for (const start of starts) if (!movedStarts.has(start.getTime())) add(start, overrideOf.get(start.getTime()));
  for (const row of moved) add(row.occurrence_start, row);
  return entries.sort((a, b) => comparePositions(a.key, b.key)).slice(0, cap);
}

/** The first `cap` entries in order (sorts `entries` in place). */
function firstInOrder(entries: Entry[], cap: number): Entry[] {
  entries.sort((a, b) => comparePositions(a.key, b.key));
  if (entries.length > cap) entries.length = cap;
  return entries;
}

export type Page = { items: OccurrenceBody[]; next: Position | undefined };

/**
 * The first `limit` occurrences after `after` of the candidates, and the position to continue
 * from when more remain. `overridesOf` holds each candidate's overrides that can matter here.
 */
export function pageOf(candidates: Candidate[], overridesOf: Map<string, OverrideRow[]>, window: Window, limit: number, after?: Position): Page {
  const cap = limit + 1;
  // Entries are gathered unsorted and put in order once; only when more than twice a page has
  // piled up are they cut to the first page plus one, whose last start then bounds what the
  // following series are expanded to (nothing starting later can be on this page). Merging each
  // series into a sorted list instead copied the list once per series: 211 copies a month view.
  let kept: Entry[] = [];
  let horizon = window.to.getTime();
  for (const candidate of candidates) {
    for (const entry of entriesOf(candidate, overridesOf.get(candidate.event.id) ?? [], { window, after, horizon, cap })) kept.push(entry);
    if (kept.length > 2 * cap) {
      kept = firstInOrder(kept, cap);
      const last = kept[limit];
      if (last) horizon = Math.min(horizon, last.key.start);
    }
  }
  kept = firstInOrder(kept, cap);
  const page = kept.slice(0, limit);
  const summaries = new Map<string, ReturnType<typeof eventSummary>>();
  const items = page.map(({ candidate, original, times, override }) => {
    let summary = summaries.get(candidate.event.id);
    if (!summary) {
      summary = eventSummary(candidate.event, candidate.owner, candidate.access);
      summaries.set(candidate.event.id, summary);
    }
    return occurrenceBody(summary, original, times, override);
  });
  return { items, next: kept.length > limit ? page.at(-1)?.key : undefined };
}
