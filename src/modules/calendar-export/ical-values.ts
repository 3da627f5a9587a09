import ICAL from 'ical.js';
import { CONTROL_CHARACTERS } from '../../platform/http/schemas.ts';
import { zoned } from '../../platform/time/zoned.ts';

// Instants as iCalendar values. Every local field comes from Temporal in a named zone and UTC
// values from the UTC fields of a Date, so nothing here reads the process time zone (the trap of
// writers that take a plain Date "in" a zone and format it with local getters).

/** The wall-clock time of an instant in the zone, as a time without zone: its TZID parameter names the zone. */
export function wallClock(instant: Date, timezone: string): ICAL.Time {
  const local = zoned(instant, timezone);
  return ICAL.Time.fromData({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second, isDate: false });
}

/** The calendar date an instant falls on in the zone, as a DATE value. */
export function calendarDate(instant: Date, timezone: string): ICAL.Time {
  const local = zoned(instant, timezone);
  return ICAL.Time.fromData({ year: local.year, month: local.month, day: local.day, isDate: true });
}

/** An instant as a UTC DATE-TIME (`...Z`). */
export function utcTime(instant: Date): ICAL.Time {
  return ICAL.Time.fromJSDate(instant, true);
}

/**
 * User text as an iCalendar TEXT value. ical.js escapes line feeds (as `\n`) but writes a bare
 * CR as it is, and a reader that breaks lines on CR would take what follows for new properties
 * (a forged VEVENT). Input validation refuses control characters; this also guards text stored
 * before it did: CR and CRLF become line feeds, other control characters are dropped.
 */
export function icsText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROL_CHARACTERS, '');
}
