import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { seriesVevent } from '../src/modules/calendar-export/vevent.ts';
import { vtimezone } from '../src/modules/calendar-export/vtimezone.ts';

// The VTIMEZONEs an export carries, checked against the zone database the API expands with.

/** Noon on the 1st and 15th of every month of 2026 and 2027, as instants. */
const SAMPLES = [2026, 2027].flatMap((year) => Array.from({ length: 12 }, (_, month) => [1, 15].map((day) => Date.UTC(year, month, day, 12)))).flat();

describe('VTIMEZONE components', () => {
  it('exist for every zone the API accepts, under the name the event uses', () => {
    const zones = Intl.supportedValuesOf('timeZone').concat(['UTC']);
    const missing = zones.filter((zone) => vtimezone(zone)?.getFirstPropertyValue('tzid') !== zone);
    expect(missing).toEqual([]);
  });

  // Where timezones-ical-library's VTIMEZONE (IANA data of 2026, current rules only, as vzic
  // writes them) and this Node's zone database (ICU, tzdata 2025c) disagree. Morocco leaves +01
  // during Ramadan on dates no yearly rule describes, and the library writes +00 for the whole
  // year; its data for Vancouver and Edmonton has a permanent offset that it applies back to 1970
  // while tzdata 2025c still has daylight saving there. Occurrences in these zones can show an
  // hour off in clients that expand by the VTIMEZONE (apps that know the IANA name use their own).
  const KNOWN = ['Africa/Casablanca', 'Africa/El_Aaiun', 'America/Edmonton', 'America/Vancouver'];

  it('give the offsets Temporal gives, in 2026 and 2027, for every zone but the known few', () => {
    const differing: string[] = [];
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const component = vtimezone(zone);
      if (!component) continue;
      const timezone = new ICAL.Timezone(component);
      for (const epoch of SAMPLES) {
        const expected = Temporal.Instant.fromEpochMilliseconds(epoch).toZonedDateTimeISO(zone).offsetNanoseconds / 1e9;
        const actual = timezone.utcOffset(ICAL.Time.fromJSDate(new Date(epoch), true).convertToZone(timezone));
        if (actual !== expected) differing.push(`${zone} at ${new Date(epoch).toISOString()}: ${actual} s, Temporal ${expected} s`);
      }
    }
    const zones = [...new Set(differing.map((line) => line.split(' ')[0]))];
    expect(KNOWN, differing.slice(0, 10).join('\n')).toEqual(expect.arrayContaining(zones));
    // The zones of the export tests among them agree exactly.
    expect(zones).not.toContain('Europe/Berlin');
    expect(zones).not.toContain('America/New_York');
  });
});

describe('a zone without a VTIMEZONE', () => {
  it('has its times written in UTC, never as floating local time', () => {
    const event = {
      id: 'e', calendar_id: 'c', title: 'Somewhere', description: null, location: null, location_id: null,
      start_at: new Date('2026-06-01T07:00:00Z'), end_at: new Date('2026-06-01T08:00:00Z'), all_day: false, timezone: 'Europe/Berlin',
      rrule: 'FREQ=DAILY;COUNT=3', rule_until: null, series_start: new Date(), series_end: null, version: 1,
      created_at: new Date('2026-01-01T00:00:00Z'), updated_at: new Date('2026-01-01T00:00:00Z'),
    };
    const cancelled = { event_id: 'e', occurrence_start: new Date('2026-06-02T07:00:00Z'), cancelled: true, changes: {}, start_at: null, end_at: null, all_day: null, created_at: new Date(), updated_at: new Date() };
    const text = seriesVevent(event, [cancelled], new Set()).toString();
    expect(text).toContain('DTSTART:20260601T070000Z\r\n');
    expect(text).toContain('DTEND:20260601T080000Z\r\n');
    expect(text).toContain('EXDATE:20260602T070000Z\r\n');
  });
});
