import { Temporal } from 'temporal-polyfill';
import { zoned } from '../../platform/time/zoned.ts';
import { type ParsedRule, rulePart, untilToInstant } from './rrule.ts';

// What a rule written through the API must satisfy, checked from its text alone, before the
// library expands anything: each check costs microseconds, and the rules that are refused here
// (an endless SECONDLY, BYSETPOS=-366 in a month, the 30th of February) are the ones that made
// a bounded search run to its limit. Messages are ours, never the library's.

/** The frequencies a rule may be written with: no personal calendar offers SECONDLY or MINUTELY. */
export const WRITABLE_FREQS = ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;

type Start = { start_at: Date; all_day: boolean; timezone: string };

function list(rule: ParsedRule, name: string): string[] {
  return rulePart(rule, name)?.split(',') ?? [];
}

/** RFC 5545 3.3.10: the parts some frequencies must not have. */
function combinationProblem(rule: ParsedRule, freq: string): string | undefined {
  const has = (name: string) => rulePart(rule, name) !== undefined;
  const ordinalDays = list(rule, 'BYDAY').some((day) => /\d/.test(day));
  if (has('BYWEEKNO') && freq !== 'YEARLY') return 'BYWEEKNO is only allowed with FREQ=YEARLY';
  if (has('BYYEARDAY') && ['DAILY', 'WEEKLY', 'MONTHLY'].includes(freq)) return `BYYEARDAY is not allowed with FREQ=${freq}`;
  if (has('BYMONTHDAY') && freq === 'WEEKLY') return 'BYMONTHDAY is not allowed with FREQ=WEEKLY';
  if (ordinalDays && !['MONTHLY', 'YEARLY'].includes(freq)) return 'BYDAY with a number (1MO, -1FR) needs FREQ=MONTHLY or YEARLY';
  if (ordinalDays && has('BYWEEKNO')) return 'BYDAY with a number cannot be combined with BYWEEKNO';
  const byParts = rule.parts.filter((part) => part.name.startsWith('BY') && part.name !== 'BYSETPOS');
  if (has('BYSETPOS') && byParts.length === 0) return 'BYSETPOS needs another BY... part to choose from';
  return undefined;
}

/** How many days of one period the rule can pick at most (an upper bound, not the exact count). */
function daysPerPeriod(rule: ParsedRule, freq: string): number {
  const days = list(rule, 'BYDAY');
  const months = list(rule, 'BYMONTH').length || 12;
  const perDay = (weeksPerPeriod: number) => days.reduce((sum, day) => sum + (/\d/.test(day) ? 1 : weeksPerPeriod), 0);
  const bounds: number[] = [];
  if (freq === 'YEARLY') {
    bounds.push(366);
    if (days.length) bounds.push(list(rule, 'BYMONTH').length ? perDay(5) * months : perDay(53));
    if (list(rule, 'BYMONTHDAY').length) bounds.push(list(rule, 'BYMONTHDAY').length * months);
    if (list(rule, 'BYYEARDAY').length) bounds.push(list(rule, 'BYYEARDAY').length);
    if (list(rule, 'BYWEEKNO').length) bounds.push(list(rule, 'BYWEEKNO').length * 7);
  } else if (freq === 'MONTHLY') {
    bounds.push(31);
    if (days.length) bounds.push(perDay(5));
    if (list(rule, 'BYMONTHDAY').length) bounds.push(list(rule, 'BYMONTHDAY').length);
  } else if (freq === 'WEEKLY') {
    bounds.push(days.length || 1);
  } else {
    bounds.push(1);
  }
  return Math.min(...bounds);
}

/** BYSETPOS picks the n-th of a period's occurrences: beyond the most a period can hold, it never occurs. */
function setPositionProblem(rule: ParsedRule, freq: string): string | undefined {
  const positions = list(rule, 'BYSETPOS').map((value) => Math.abs(Number(value)));
  if (positions.length === 0) return undefined;
  const times = ['BYHOUR', 'BYMINUTE', 'BYSECOND'].filter((name) => !(freq === 'HOURLY' && name === 'BYHOUR'));
  const perDay = times.reduce((product, name) => product * (list(rule, name).length || 1), 1);
  const most = daysPerPeriod(rule, freq) * perDay;
  const beyond = positions.find((position) => position > most);
  return beyond === undefined ? undefined : `BYSETPOS=${beyond} asks for more occurrences than one ${freq.toLowerCase()} period can hold (at most ${most})`;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** BYMONTH with BYMONTHDAY where no listed month has a listed day (the 30th of February). */
function monthDayProblem(rule: ParsedRule): string | undefined {
  const months = list(rule, 'BYMONTH').map(Number);
  const days = list(rule, 'BYMONTHDAY').map((value) => Math.abs(Number(value)));
  if (months.length === 0 || days.length === 0) return undefined;
  const possible = months.some((month) => days.some((day) => day <= (DAYS_IN_MONTH[month - 1] ?? 31)));
  return possible ? undefined : `No month in BYMONTH=${rulePart(rule, 'BYMONTH')} has day ${rulePart(rule, 'BYMONTHDAY')}: the rule never occurs`;
}

/** UNTIL must suit DTSTART (UTC for timed series) and not lie before it. */
function untilProblem(rule: ParsedRule, start: Start): string | undefined {
  const until = rulePart(rule, 'UNTIL');
  if (!until) return undefined;
  const utc = until.endsWith('Z');
  if (!start.all_day && !utc) return 'A timed series needs UNTIL in UTC, e.g. UNTIL=20261231T235959Z';
  const instant = untilToInstant(until);
  if (!instant) return `Invalid UNTIL value "${until}"`;
  if (utc) return instant < start.start_at ? 'UNTIL lies before the start of the series' : undefined;
  // A date (or floating) UNTIL is a local time in the event's zone.
  const local = Temporal.PlainDateTime.from(instant.toISOString().slice(0, 19));
  const startLocal = zoned(start.start_at, start.timezone).toPlainDateTime();
  const untilLocal = until.length === 8 ? local.toPlainDate().toPlainDateTime({ hour: 23, minute: 59, second: 59 }) : local;
  return Temporal.PlainDateTime.compare(untilLocal, startLocal) < 0 ? 'UNTIL lies before the start of the series' : undefined;
}

/** The first reason a rule cannot be written for a series starting at `start`, or undefined. */
export function writeProblem(rule: ParsedRule, start: Start): string | undefined {
  const freq = rulePart(rule, 'FREQ') ?? '';
  if (!WRITABLE_FREQS.some((writable) => writable === freq)) return `FREQ=${freq} is not supported; use ${WRITABLE_FREQS.join(', ')}`;
  return combinationProblem(rule, freq) ?? setPositionProblem(rule, freq) ?? monthDayProblem(rule) ?? untilProblem(rule, start);
}
