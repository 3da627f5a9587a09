import { invalidField } from '../../platform/http/errors.ts';
import { isInYearRange, YEARS } from '../../platform/http/schemas.ts';
import { addDaysToDate, exclusiveEndDate, localDate, startOfLocalDay, zoned } from '../../platform/time/zoned.ts';

export type Timing = { start_at: Date; end_at: Date; all_day: boolean; timezone: string };

/** A requested time: an instant, or (all-day events only) a date in the event's zone. */
type TimeInput = Date | string;

export type TimingChange = { start_at?: TimeInput | undefined; end_at?: TimeInput | undefined; all_day?: boolean | undefined; timezone?: string | undefined };

/**
 * The times an event (or one occurrence) ends up with after a change. All-day events are stored
 * as 00:00 of their first day and 00:00 after their last day (end exclusive) in the event's zone:
 * an instant given for them counts by the day it falls on there, an end inside a day includes
 * that day, and an end on the start day still makes a one-day event.
 */
export function resolveTiming(current: Timing, change: TimingChange): Timing {
  const timezone = change.timezone ?? current.timezone;
  const all_day = change.all_day ?? current.all_day;
  const start = change.start_at ?? current.start_at;
  const end = change.end_at ?? current.end_at;
  if (!all_day) {
    if (typeof start === 'string') throw invalidField('start_at', 'A date without a time is only allowed for all-day events');
    if (typeof end === 'string') throw invalidField('end_at', 'A date without a time is only allowed for all-day events');
    if (end < start) throw invalidField('end_at', 'Must not be before start_at');
    return withinYears({ start_at: start, end_at: end, all_day, timezone });
  }
  // Stored instants are read in the zone they were stored for; new ones in the new zone.
  const startZone = change.start_at === undefined ? current.timezone : timezone;
  const endZone = change.end_at === undefined ? current.timezone : timezone;
  const startDate = typeof start === 'string' ? start : localDate(start, startZone);
  const endDate = typeof end === 'string' ? end : exclusiveEndDate(end, endZone);
  if (endDate < startDate) throw invalidField('end_at', 'Must not be before start_at');
  const lastDate = endDate === startDate ? addDaysToDate(startDate, 1) : endDate;
  return withinYears({ start_at: startOfLocalDay(startDate, timezone), end_at: startOfLocalDay(lastDate, timezone), all_day, timezone });
}

/**
 * The export writes an event's times as wall-clock times in its zone (all-day ones as dates, the
 * end exclusive), so those too must lie in the years 1000..9999: 9999-12-31T20:00Z is already
 * the year 10000 in Tokyo.
 */
function withinYears(timing: Timing): Timing {
  for (const field of ['start_at', 'end_at'] as const) {
    if (!isInYearRange(zoned(timing[field], timing.timezone).year)) {
      throw invalidField(field, `Must lie in the years ${YEARS.min}..${YEARS.max} in the event's time zone (${timing.timezone})`);
    }
  }
  return timing;
}

export function sameTiming(a: Timing, b: Timing): boolean {
  return (
    a.start_at.getTime() === b.start_at.getTime() &&
    a.end_at.getTime() === b.end_at.getTime() &&
    a.all_day === b.all_day &&
    a.timezone === b.timezone
  );
}
