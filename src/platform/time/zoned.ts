import { Temporal } from 'temporal-polyfill';

// Date and zone arithmetic for events, all through Temporal (never by adding hours by hand).

export function zoned(instant: Date, timezone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timezone);
}

export function toDate(value: { epochMilliseconds: number }): Date {
  return new Date(value.epochMilliseconds);
}

/** 00:00 of a date in a zone (or the first instant of that day where midnight does not exist). */
export function startOfLocalDay(date: string, timezone: string): Date {
  return toDate(Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: timezone }));
}

export function localDate(instant: Date, timezone: string): string {
  return zoned(instant, timezone).toPlainDate().toString();
}

/** The local date of an instant, moved to the next day unless it is exactly midnight (an exclusive end). */
export function exclusiveEndDate(instant: Date, timezone: string): string {
  const local = zoned(instant, timezone);
  const date = local.toPlainDate();
  return local.startOfDay().epochMilliseconds === local.epochMilliseconds ? date.toString() : date.add({ days: 1 }).toString();
}

export function addDaysToDate(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** The same local time `days` calendar days later, in the zone. */
export function addLocalDays(instant: Date, days: number, timezone: string): Date {
  return toDate(zoned(instant, timezone).add({ days }));
}

/** 00:00 today in the zone. */
export function startOfToday(timezone: string, now: Date = new Date()): Date {
  return toDate(zoned(now, timezone).startOfDay());
}
