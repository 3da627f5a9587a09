import ICAL from 'ical.js';
import { formatRule, formatUtc, isRuleIssue, occurrenceTimes, overrideChanges, parseRule, rulePart, timingOf, untilToInstant, withParts } from '../events/index.ts';
import { localDate } from '../../platform/time/zoned.ts';
import type { EventRow, OverrideRow } from '../events/index.ts';
import { calendarDate, icsText, utcTime, wallClock } from './ical-values.ts';
import { startFollowsRule } from './start-in-rule.ts';

// One VEVENT per series (RRULE and EXDATEs for its cancelled occurrences) and one per changed
// occurrence, tied to the series by UID and RECURRENCE-ID, as RFC 5545 3.8.4.4 describes. The
// times and fields of an occurrence come from the same helpers the API's expansion uses.

/** Whether the calendar carries a VTIMEZONE for the zone; without one, times are written in UTC. */
export type NamedZones = ReadonlySet<string>;

type TimeValue = { instants: Date[]; allDay: boolean; timezone: string };

/** DATE values for all-day times, else the wall clock with TZID where the zone has a VTIMEZONE, else UTC. */
function addTimes(vevent: ICAL.Component, name: string, value: TimeValue, zones: NamedZones): void {
  const property = new ICAL.Property(name);
  const named = !value.allDay && zones.has(value.timezone);
  const times = value.instants.map((instant) =>
    value.allDay ? calendarDate(instant, value.timezone) : named ? wallClock(instant, value.timezone) : utcTime(instant),
  );
  if (times.length === 1 && times[0]) property.setValue(times[0]);
  else property.setValues(times);
  if (named) property.setParameter('tzid', value.timezone);
  vevent.addProperty(property);
}

function addTime(vevent: ICAL.Component, name: string, instant: Date, allDay: boolean, timezone: string, zones: NamedZones): void {
  addTimes(vevent, name, { instants: [instant], allDay, timezone }, zones);
}

type Texts = { title: string; description?: string | null | undefined; location?: string | null | undefined };

function addTexts(vevent: ICAL.Component, texts: Texts): void {
  vevent.addPropertyWithValue('summary', icsText(texts.title));
  if (texts.description) vevent.addPropertyWithValue('description', icsText(texts.description));
  if (texts.location) vevent.addPropertyWithValue('location', icsText(texts.location));
}

/**
 * UID, SEQUENCE and the timestamps. SEQUENCE starts at 0 (RFC 5545 3.8.7.4) and follows the
 * series' version, which every change bumps, occurrence changes included. Without METHOD,
 * DTSTAMP is the last modification (RFC 5545 3.8.7.2), so an unchanged calendar exports the same
 * bytes every time.
 */
function newVevent(event: EventRow, stamps: { created_at: Date; updated_at: Date }): ICAL.Component {
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', `${event.id}@umbra`);
  vevent.addPropertyWithValue('sequence', event.version - 1);
  vevent.addPropertyWithValue('dtstamp', utcTime(stamps.updated_at));
  vevent.addPropertyWithValue('created', utcTime(stamps.created_at));
  vevent.addPropertyWithValue('last-modified', utcTime(stamps.updated_at));
  return vevent;
}

/**
 * The stored rule as RFC 5545 wants it next to this DTSTART. Timed rules already end in a UTC
 * UNTIL. An all-day series starts on a DATE, so a UTC UNTIL (left by a `following` split) becomes
 * the date it falls on in the event's zone: the same last occurrence, as an occurrence on day D
 * starts at 00:00 of D there. Where the rule does not produce DTSTART itself, COUNT (which counts
 * DTSTART) becomes UNTIL at the last counted start, so a client that leaves DTSTART to the RDATE
 * does not count one more of the rule's own.
 */
function exportedRule(event: EventRow & { rrule: string }, startInRule: boolean): ICAL.Recur {
  const parsed = parseRule(event.rrule);
  if (isRuleIssue(parsed)) throw new Error(`stored rrule is invalid: ${parsed.message}`);
  const countedUntil = !startInRule && rulePart(parsed, 'COUNT') !== undefined ? event.rule_until : null;
  const until = rulePart(parsed, 'UNTIL');
  const instant = countedUntil ?? (event.all_day && until?.endsWith('Z') ? untilToInstant(until) : undefined);
  if (!instant) return ICAL.Recur.fromString(formatRule(parsed));
  const untilValue = event.all_day ? localDate(instant, event.timezone).replaceAll('-', '') : formatUtc(instant);
  return ICAL.Recur.fromString(formatRule(withParts(parsed, { COUNT: undefined, UNTIL: untilValue })));
}

/** The series: its first occurrence's times, its rule and the occurrences it no longer has. */
export function seriesVevent(event: EventRow, overrides: OverrideRow[], zones: NamedZones): ICAL.Component {
  const vevent = newVevent(event, event);
  addTime(vevent, 'dtstart', event.start_at, event.all_day, event.timezone, zones);
  addTime(vevent, 'dtend', event.end_at, event.all_day, event.timezone, zones);
  if (event.rrule !== null) {
    const startInRule = startFollowsRule({ ...timingOf(event), rrule: event.rrule });
    vevent.addPropertyWithValue('rrule', exportedRule({ ...event, rrule: event.rrule }, startInRule));
    // DTSTART is the first occurrence (RFC 5545 3.8.5.3); an RDATE says so to clients that drop it.
    if (!startInRule) addTime(vevent, 'rdate', event.start_at, event.all_day, event.timezone, zones);
    const cancelled = overrides.filter((row) => row.cancelled).map((row) => row.occurrence_start);
    if (cancelled.length > 0) addTimes(vevent, 'exdate', { instants: cancelled, allDay: event.all_day, timezone: event.timezone }, zones);
  }
  addTexts(vevent, event);
  return vevent;
}

/**
 * One changed occurrence: RECURRENCE-ID is its original start with the series' value type (a DATE
 * for an all-day series), and it carries every field of that occurrence, as a calendar app
 * replaces the whole instance with it.
 */
export function occurrenceVevent(event: EventRow, override: OverrideRow, zones: NamedZones): ICAL.Component {
  const times = occurrenceTimes(timingOf(event), override.occurrence_start, override);
  const vevent = newVevent(event, override);
  addTime(vevent, 'recurrence-id', override.occurrence_start, event.all_day, event.timezone, zones);
  addTime(vevent, 'dtstart', times.start_at, times.all_day, event.timezone, zones);
  addTime(vevent, 'dtend', times.end_at, times.all_day, event.timezone, zones);
  addTexts(vevent, { ...event, ...overrideChanges(override) });
  return vevent;
}
