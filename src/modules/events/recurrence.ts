import { LRUCache } from 'lru-cache';
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { addDaysToDate, startOfLocalDay, toDate, zoned } from '../../platform/time/zoned.ts';
import { RULE_ITERATIONS, type RuleChecker, type RuleTask } from './rule-checker.ts';
import { writeProblem } from './rule-checks.ts';
import { formatRule, formatUtc, isRuleIssue, type ParsedRule, parseRule, rulePart, untilToInstant, withParts } from './rrule.ts';

// Occurrence expansion on rrule-temporal (see tests/recurrence-library.test.ts for why): every
// rule is expanded in the event's own time zone, so a 09:00 Europe/Berlin series stays at 09:00
// local across daylight-saving changes whatever the process time zone is. Nothing here does
// calendar or zone arithmetic by hand: Temporal does.

/** What expansion needs of a series master row. */
export type SeriesTiming = {
  start_at: Date;
  end_at: Date;
  all_day: boolean;
  timezone: string;
  rrule: string | null;
  rule_until: Date | null;
};

export type Occurrence = { start: Date; end: Date };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;


/**
 * The rule as the library runs it. RFC 5545 counts DTSTART as the first occurrence, so it is
 * always included. A COUNT rule whose last occurrence is known runs as UNTIL that occurrence:
 * the same set, but the library can jump to a window instead of counting from DTSTART.
 */
function ruleOptions(series: SeriesTiming, parsed: ParsedRule, expandWithUntil: boolean) {
  const useUntil = expandWithUntil && series.rule_until !== null && rulePart(parsed, 'COUNT') !== undefined;
  const rule = useUntil && series.rule_until ? withParts(parsed, { COUNT: undefined, UNTIL: formatUtc(series.rule_until) }) : withDateUntil(parsed, series);
  return { rruleString: formatRule(rule), dtstart: zoned(series.start_at, series.timezone), tzid: series.timezone };
}

/** A stored rule, parsed once per use (its text was checked when it was written). */
function storedRule(rrule: string): ParsedRule {
  const parsed = parseRule(rrule);
  if (isRuleIssue(parsed)) throw new Error(`stored rrule is invalid: ${parsed.message}`);
  return parsed;
}

function buildRule(series: SeriesTiming, parsed: ParsedRule, exdates: Date[]): RRuleTemporal<Temporal.ZonedDateTime> {
  return new RRuleTemporal({
    ...ruleOptions(series, parsed, true),
    temporal: Temporal,
    includeDtstart: true,
    strict: true,
    exDate: exdates.map((date) => zoned(date, series.timezone)),
  });
}

/** The rule as a worker runs it (rule-worker.js): the same options, as plain text. */
function ruleTask(series: SeriesTiming, parsed: ParsedRule = storedRule(series.rrule ?? '')): RuleTask {
  const { rruleString, dtstart, tzid } = ruleOptions(series, parsed, false);
  return { rule: rruleString, dtstart: dtstart.toString(), tzid };
}

/**
 * An all-day series may end with a date UNTIL (UNTIL=20260601, as RFC 5545 writes it for DATE
 * starts). Our all-day DTSTART is 00:00 in the zone, a date-time, so the library gets the last
 * instant of that day there, in UTC: the same occurrences.
 */
function withDateUntil(rule: ParsedRule, series: SeriesTiming): ParsedRule {
  const until = rulePart(rule, 'UNTIL');
  if (!series.all_day || !until || until.length !== 8) return rule;
  const date = `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}`;
  const nextMidnight = startOfLocalDay(addDaysToDate(date, 1), series.timezone);
  return withParts(rule, { UNTIL: formatUtc(new Date(nextMidnight.getTime() - 1000)) });
}

/**
 * How long each occurrence lasts: timed events keep their exact duration; all-day events keep
 * their number of calendar days, so a day across a DST change is 23 or 25 hours long.
 */
export function occurrenceEnd(series: SeriesTiming, start: Date): Date {
  if (!series.all_day) return new Date(start.getTime() + (series.end_at.getTime() - series.start_at.getTime()));
  const first = zoned(series.start_at, series.timezone);
  const days = first.toPlainDate().until(zoned(series.end_at, series.timezone).toPlainDate()).days;
  return toDate(zoned(start, series.timezone).add({ days }));
}

/**
 * At most one occurrence per local day: a DAILY or coarser rule without BYHOUR/BYMINUTE/BYSECOND
 * takes its time of day from DTSTART. Anything else may be dense (up to one a second).
 */
function isSparse(rule: ParsedRule): boolean {
  const freq = rulePart(rule, 'FREQ') ?? '';
  return ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freq) && !rule.parts.some((part) => /^BY(HOUR|MINUTE|SECOND)$/.test(part.name));
}

// Expansion is a pure function of the series definition, its cancellations and the window, and
// by far the costliest step of a range request (~0.1 ms per occurrence in the Temporal polyfill).
// The same windows come back all day (today, this month, the next 7 days), so results are kept
// in a bounded LRU keyed by everything they depend on: a changed series or a cancelled occurrence
// is simply a different key, so nothing is ever stale, in this process or any other.
const expansions = new LRUCache<string, Date[]>({
  maxSize: 200_000,
  sizeCalculation: (starts) => starts.length + 1,
});

function expansionKey(series: SeriesTiming, exdates: Date[], from: Date, to: Date, limit: number): string {
  const cancelled = exdates.map((date) => date.getTime()).join(',');
  return [series.rrule ?? '', series.start_at.getTime(), series.rule_until?.getTime() ?? '', series.all_day, series.timezone, cancelled, from.getTime(), to.getTime(), limit].join('|');
}

/**
 * Original occurrence starts in [from, to), in order, at most about `limit + 1` of them (more
 * than `limit` tells the caller the cap is passed). The window is walked in chunks that cannot
 * hold much more than what is left of the limit: a day per remaining occurrence for sparse rules,
 * an hour doubling from there for dense ones. So even an endless MINUTELY rule stops at the cap
 * without building a year of instants, and a weekly series is one library call.
 */
export function occurrenceStarts(series: SeriesTiming, exdates: Date[], from: Date, to: Date, limit: number): Date[] {
  if (!series.rrule) return series.start_at >= from && series.start_at < to ? [series.start_at] : [];
  const key = expansionKey(series, exdates, from, to, limit);
  const known = expansions.get(key);
  if (known) return [...known];
  const starts = expandStarts(series, series.rrule, exdates, from, to, limit);
  expansions.set(key, starts);
  return [...starts];
}

function expandStarts(series: SeriesTiming, rrule: string, exdates: Date[], from: Date, to: Date, limit: number): Date[] {
  // Parsed once for both the density check and the library's options.
  const parsed = storedRule(rrule);
  const sparse = isSparse(parsed);
  const rule = buildRule(series, parsed, exdates);
  const starts: Date[] = [];
  let chunkStart = new Date(Math.max(from.getTime(), series.start_at.getTime()));
  let size = HOUR_MS;
  while (chunkStart < to && starts.length <= limit) {
    if (sparse) size = (limit - starts.length + 1) * DAY_MS;
    const chunkEnd = new Date(Math.min(to.getTime(), chunkStart.getTime() + size));
    for (const found of rule.between(chunkStart, chunkEnd, true)) {
      const start = toDate(found);
      if (start >= chunkStart && start < chunkEnd) starts.push(start);
    }
    chunkStart = chunkEnd;
    size *= 2;
  }
  return starts;
}

/** Whether `instant` is an occurrence of the series (cancelled ones are not). */
export function isOccurrence(series: SeriesTiming, exdates: Date[], instant: Date): boolean {
  if (!series.rrule) return instant.getTime() === series.start_at.getTime();
  if (instant < series.start_at) return false;
  return occurrenceStarts(series, exdates, instant, new Date(instant.getTime() + 1), 1).length === 1;
}

/**
 * The number of occurrences the rule generates before `instant`, cancelled ones included (COUNT
 * counts them). Walks the rule from DTSTART, so it runs in the rule worker.
 */
export async function countBefore(rules: RuleChecker, series: SeriesTiming, instant: Date): Promise<number> {
  const count = await rules.countBefore(ruleTask(series), instant);
  if (count === undefined) throw new Error('a stored series could not be counted within the rule budget');
  return count;
}

/**
 * An upper bound of the last occurrence's end, or null for an endless series. COUNT rules use
 * their known last start; UNTIL is inclusive, and a date or floating UNTIL is read generously
 * (it is local time, up to 14 hours off UTC, and a date covers its whole day).
 */
export function seriesEnd(series: SeriesTiming): Date | null {
  if (!series.rrule) return series.end_at;
  const parsed = parseRule(series.rrule);
  if (isRuleIssue(parsed)) return null;
  if (series.rule_until) return occurrenceEnd(series, series.rule_until);
  const until = rulePart(parsed, 'UNTIL');
  const instant = until ? untilToInstant(until) : undefined;
  if (!until || !instant) return null;
  const slack = until.endsWith('Z') ? 0 : 40 * HOUR_MS;
  const end = new Date(Math.max(instant.getTime() + slack, series.start_at.getTime()));
  return occurrenceEnd(series, end);
}

/** Our answer when the library cannot find the rule's occurrences within the budget (never its own text). */
export const RULE_NOT_FOUND = `No occurrence after the first could be found for this rule (within ${RULE_ITERATIONS.toLocaleString('en')} repetitions); it may never occur again, like the 30th of February`;

/**
 * The series ready for expansion, or the reason its rule cannot be written: first the checks on
 * its text (rule-checks.ts), then a bounded search in the rule worker, which must find the
 * occurrence after the first and, for a COUNT rule, the last one (stored as rule_until).
 * `writtenNow` is false for a rule and start kept from the stored series (a title edit, the old
 * half of a split): the text checks are then skipped, so a series stored before they existed (a
 * SECONDLY one) can still be edited and ended.
 */
export async function expandableTiming(
  rules: RuleChecker,
  definition: Omit<SeriesTiming, 'rule_until'>,
  writtenNow: boolean,
): Promise<SeriesTiming | { problem: string }> {
  if (!definition.rrule) return { ...definition, rule_until: null };
  const parsed = parseRule(definition.rrule);
  if (isRuleIssue(parsed)) return { problem: parsed.message };
  const problem = writtenNow ? writeProblem(parsed, definition) : undefined;
  if (problem) return { problem };
  // Stored in one spelling (upper case, as parsed) so exports and history compare alike.
  const normalized = { ...definition, rrule: formatRule(parsed), rule_until: null };
  const counted = rulePart(parsed, 'COUNT') !== undefined;
  const verdict = await rules.check(ruleTask(normalized, parsed), counted);
  if (!verdict.ok) return { problem: RULE_NOT_FOUND };
  return { ...normalized, rule_until: counted ? (verdict.last ?? definition.start_at) : null };
}

/** The rule of a series that ends just before `instant`, keeping its total of occurrences where COUNT says so. */
export async function ruleEndingBefore(rules: RuleChecker, series: SeriesTiming, instant: Date): Promise<string | null> {
  if (!series.rrule) return null;
  const parsed = parseRule(series.rrule);
  if (isRuleIssue(parsed)) return series.rrule;
  if (rulePart(parsed, 'COUNT') !== undefined) {
    return formatRule(withParts(parsed, { COUNT: String(await countBefore(rules, series, instant)) }));
  }
  // UNTIL is inclusive; one second before the occurrence keeps every earlier one and none after.
  return formatRule(withParts(parsed, { UNTIL: formatUtc(new Date(instant.getTime() - 1000)) }));
}

/** The rule of the series that continues from `instant`: a COUNT rule gets what is left of its count. */
export async function ruleContinuingFrom(rules: RuleChecker, series: SeriesTiming, instant: Date): Promise<string | null> {
  if (!series.rrule) return null;
  const parsed = parseRule(series.rrule);
  if (isRuleIssue(parsed)) return series.rrule;
  const count = rulePart(parsed, 'COUNT');
  if (count === undefined) return series.rrule;
  return formatRule(withParts(parsed, { COUNT: String(Number(count) - (await countBefore(rules, series, instant))) }));
}
