import { addDaysToDate, localDate, startOfLocalDay } from './zoned.ts';

/** The user's time zone with one reading of the database's clock, shared by every part of a view. */
export type UserClock = { timezone: string; now: Date };

/** Whole days in the user's zone: dates for the dated records, instants for the timed ones. */
export type DaySpan = {
  /** The first day (today) and the day after the last, as dates: `to` is exclusive. */
  dates: { from: string; to: string };
  /** 00:00 of those days in the zone: 23 or 25 hours apart across a DST change, never 24 by hand. */
  window: { from: Date; to: Date };
};

export function today(clock: UserClock): string {
  return localDate(clock.now, clock.timezone);
}

/** `days` whole days from today 00:00 in the user's zone. */
export function daysFromToday(clock: UserClock, days: number): DaySpan {
  const from = today(clock);
  const to = addDaysToDate(from, days);
  return { dates: { from, to }, window: { from: startOfLocalDay(from, clock.timezone), to: startOfLocalDay(to, clock.timezone) } };
}
