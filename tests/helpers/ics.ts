import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import { expect } from 'vitest';
import type { Occurrence } from './events.ts';

// Reads an exported calendar the way a calendar app does, with ical.js: the VTIMEZONEs of the
// file (and only those) define the zones, each UID's VEVENTs form one series with its exceptions,
// and ical.js expands the RRULE, applies EXDATEs and replaces instances by RECURRENCE-ID.

/** What a calendar view shows of one occurrence: instants for timed ones, dates for all-day ones. */
export type Shown = string;

function shown(start: string, end: string, title: string): Shown {
  return `${start} -> ${end} ${title}`;
}

/** An API occurrence as the app would show it: all-day ones by their dates in the event's zone. */
export function shownByApi(item: Occurrence): Shown {
  const timezone = String(item.timezone);
  const date = (instant: string) => Temporal.Instant.from(instant).toZonedDateTimeISO(timezone).toPlainDate().toString();
  if (item.all_day === true) return shown(date(item.start_at), date(item.end_at), item.title);
  return shown(new Date(item.start_at).toISOString(), new Date(item.end_at).toISOString(), item.title);
}

export function parseCalendar(text: string): ICAL.Component {
  const calendar = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtimezone);
  return calendar;
}

type Window = { from: Date; to: Date; viewerZone: string };

/** The instant a value stands for: a zoned or UTC time as it is; a DATE at 00:00 in the viewer's zone. */
function instantOf(time: ICAL.Time, viewerZone: string): number {
  if (time.isDate) return Temporal.PlainDate.from(time.toString()).toZonedDateTime(viewerZone).epochMilliseconds;
  // A time whose TZID had no VTIMEZONE would be floating, read in whatever zone the reader is in.
  expect(time.zone?.tzid, `${time.toICALString()} has a zone`).not.toBe('floating');
  return time.toUnixTime() * 1000;
}

function label(time: ICAL.Time): string {
  return time.isDate ? time.toString() : new Date(time.toUnixTime() * 1000).toISOString();
}

/** API.md's overlap rule, so both sides pick the same occurrences at the window's edges. */
function overlaps(start: number, end: number, window: Window): boolean {
  if (start >= window.to.getTime()) return false;
  if (start === end) return start >= window.from.getTime();
  return end > window.from.getTime();
}

function seriesOf(calendar: ICAL.Component): ICAL.Event[] {
  const byUid = new Map<string, ICAL.Component[]>();
  for (const vevent of calendar.getAllSubcomponents('vevent')) {
    const uid = String(vevent.getFirstPropertyValue('uid'));
    byUid.set(uid, [...(byUid.get(uid) ?? []), vevent]);
  }
  return [...byUid.values()].map((vevents) => {
    const masters = vevents.filter((vevent) => !vevent.hasProperty('recurrence-id'));
    expect(masters).toHaveLength(1);
    const exceptions = vevents.filter((vevent) => vevent.hasProperty('recurrence-id'));
    return new ICAL.Event(masters[0], { exceptions, strictExceptions: true });
  });
}

/** Every occurrence ical.js expands that overlaps the window, as the app would show it. */
export function expandCalendar(calendar: ICAL.Component, window: Window, searchUntil: Date): Shown[] {
  const items: Shown[] = [];
  const add = (start: ICAL.Time, end: ICAL.Time, title: string) => {
    if (overlaps(instantOf(start, window.viewerZone), instantOf(end, window.viewerZone), window)) items.push(shown(label(start), label(end), title));
  };
  for (const event of seriesOf(calendar)) {
    if (!event.isRecurring()) {
      add(event.startDate, event.endDate, event.summary);
      continue;
    }
    // Original starts up to well past the window, so occurrences moved into it from later are seen.
    const iterator = event.iterator();
    for (let next = iterator.next(); next && instantOf(next, window.viewerZone) < searchUntil.getTime(); next = iterator.next()) {
      const details = event.getOccurrenceDetails(next);
      add(details.startDate, details.endDate, details.item.summary);
    }
  }
  return items.sort();
}
