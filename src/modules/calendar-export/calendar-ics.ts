import ICAL from 'ical.js';
import type { CalendarRow } from '../calendars/index.ts';
import type { EventRow, OverrideRow } from '../events/index.ts';
import { icsText } from './ical-values.ts';
import { occurrenceVevent, seriesVevent } from './vevent.ts';
import { vtimezone } from './vtimezone.ts';

// A calendar as RFC 5545 text, written through ical.js's component model (escaping, parameters,
// value types, folding and CRLF are the library's). A pure function of the rows: the process time
// zone and clock play no part, so the same calendar always exports the same bytes.

export type ExportedSeries = { event: EventRow; overrides: OverrideRow[] };

/** How often subscribed clients should poll (RFC 7986 REFRESH-INTERVAL, and Outlook's X-PUBLISHED-TTL). */
const REFRESH = 'PT1H';

/** Zones whose wall-clock times the calendar writes: timed series, and timed occurrences of all-day ones. */
function zonesInUse(series: ExportedSeries[]): string[] {
  const zones = series
    .filter(({ event, overrides }) => !event.all_day || overrides.some((row) => row.all_day === false))
    .map(({ event }) => event.timezone);
  return [...new Set(zones)].sort();
}

function addHeader(vcalendar: ICAL.Component, calendar: Pick<CalendarRow, 'name' | 'color'>): void {
  vcalendar.addPropertyWithValue('version', '2.0');
  vcalendar.addPropertyWithValue('prodid', '-//UMBRA//Calendar export//EN');
  vcalendar.addPropertyWithValue('calscale', 'GREGORIAN');
  vcalendar.addPropertyWithValue('name', icsText(calendar.name));
  vcalendar.addPropertyWithValue('x-wr-calname', icsText(calendar.name));
  if (calendar.color) vcalendar.addPropertyWithValue('x-apple-calendar-color', calendar.color);
  const refresh = new ICAL.Property('refresh-interval');
  refresh.setValue(ICAL.Duration.fromString(REFRESH));
  vcalendar.addProperty(refresh);
  vcalendar.addPropertyWithValue('x-published-ttl', REFRESH);
}

/**
 * ical.js folds a line after `foldLength` octets and starts the continuation with a space, so a
 * continuation line is one octet longer than the setting: 74 keeps every line within the 75
 * octets of RFC 5545 3.1. The setting is the module's, so it is restored right after.
 */
function serialize(vcalendar: ICAL.Component): string {
  const previous = ICAL.foldLength;
  ICAL.foldLength = 74;
  try {
    return `${vcalendar.toString()}\r\n`;
  } finally {
    ICAL.foldLength = previous;
  }
}

/** The calendar with its series (each with all of its overrides), in the order given. */
export function calendarIcs(calendar: Pick<CalendarRow, 'name' | 'color'>, series: ExportedSeries[]): string {
  const vcalendar = new ICAL.Component('vcalendar');
  addHeader(vcalendar, calendar);
  const named = new Set<string>();
  for (const zone of zonesInUse(series)) {
    const component = vtimezone(zone);
    if (!component) continue;
    vcalendar.addSubcomponent(component);
    named.add(zone);
  }
  for (const { event, overrides } of series) {
    vcalendar.addSubcomponent(seriesVevent(event, overrides, named));
    if (event.rrule === null) continue;
    for (const override of overrides) if (!override.cancelled) vcalendar.addSubcomponent(occurrenceVevent(event, override, named));
  }
  return serialize(vcalendar);
}
