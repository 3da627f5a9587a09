import ICAL from 'ical.js';
import { tzlib_get_ical_block } from 'timezones-ical-library';

// VTIMEZONE components come from timezones-ical-library (generated from the IANA database), never
// written here. They carry each zone's current rules, as the VTIMEZONEs of Google's and Outlook's
// exports do: an occurrence dated before a zone last changed its rules (New York before 2007) can
// be an hour off in a client that expands by the VTIMEZONE rather than by its own zone database.

const cache = new Map<string, string | null>();

function block(zone: string): string | null {
  const cached = cache.get(zone);
  if (cached !== undefined) return cached;
  const answer = tzlib_get_ical_block(zone);
  const text = Array.isArray(answer) && typeof answer[0] === 'string' && answer[0].startsWith('BEGIN:VTIMEZONE') ? answer[0] : null;
  cache.set(zone, text);
  return text;
}

/**
 * The VTIMEZONE of an IANA zone under the name the events use, or undefined when the library does
 * not know the zone. The library answers an alias with its canonical zone (UTC -> Etc/UTC,
 * Asia/Calcutta -> Asia/Kolkata, the same rules); DTSTART;TZID names the event's own zone, so the
 * component is given that name.
 */
export function vtimezone(zone: string): ICAL.Component | undefined {
  const text = block(zone);
  if (!text) return undefined;
  const component = ICAL.Component.fromString(text);
  component.updatePropertyWithValue('tzid', zone);
  component.updatePropertyWithValue('x-lic-location', zone);
  return component;
}
