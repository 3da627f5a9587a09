import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';

// The evaluation that chose rrule-temporal over `rrule` (see the README): the known traps, run
// straight against the library with the options src/events/recurrence.ts uses. `rrule` failed
// the first of them when evaluated: its results move with the process time zone (TZ), because it
// computes in the host's local time and only offsets "tzid" results afterwards.

function occurrences(rule: string, dtstart: string, from: string, to: string, exDate: string[] = []): string[] {
  const series = new RRuleTemporal({
    rruleString: rule,
    dtstart: Temporal.ZonedDateTime.from(dtstart),
    temporal: Temporal,
    includeDtstart: true,
    strict: true,
    exDate: exDate.map((value) => Temporal.ZonedDateTime.from(value)),
  });
  return series.between(new Date(from), new Date(to), true).map((found) => found.toInstant().toString());
}

describe('rrule-temporal against the known traps', () => {
  it('keeps a 09:00 Europe/Berlin weekly series at 09:00 local after 29 March (UTC 08:00 -> 07:00)', () => {
    expect(occurrences('FREQ=WEEKLY;COUNT=3', '2026-03-22T09:00[Europe/Berlin]', '2026-03-01Z', '2026-05-01Z')).toEqual([
      '2026-03-22T08:00:00Z',
      '2026-03-29T07:00:00Z',
      '2026-04-05T07:00:00Z',
    ]);
  });

  it('skips (and does not count) an occurrence whose local time does not exist, as RFC 5545 3.3.10 says', () => {
    expect(occurrences('FREQ=DAILY;COUNT=3', '2026-03-28T02:30[Europe/Berlin]', '2026-03-01Z', '2026-05-01Z')).toEqual([
      '2026-03-28T01:30:00Z',
      '2026-03-30T00:30:00Z',
      '2026-03-31T00:30:00Z',
    ]);
  });

  it('takes the first of two repeated local times in the autumn (America/New_York 01:30 on 1 November is EDT)', () => {
    expect(occurrences('FREQ=DAILY;COUNT=3', '2026-10-31T01:30[America/New_York]', '2026-10-01Z', '2026-12-01Z')).toEqual([
      '2026-10-31T05:30:00Z',
      '2026-11-01T05:30:00Z',
      '2026-11-02T06:30:00Z',
    ]);
  });

  it('counts EXDATEs towards COUNT (COUNT bounds the rule, then the exceptions are removed)', () => {
    expect(occurrences('FREQ=DAILY;COUNT=3', '2026-01-01T10:00[Europe/Berlin]', '2026-01-01Z', '2026-02-01Z', ['2026-01-02T10:00[Europe/Berlin]'])).toEqual([
      '2026-01-01T09:00:00Z',
      '2026-01-03T09:00:00Z',
    ]);
  });

  it('reads UNTIL given in UTC as an instant, inclusive', () => {
    expect(occurrences('FREQ=DAILY;UNTIL=20260103T090000Z', '2026-01-01T10:00[Europe/Berlin]', '2026-01-01Z', '2026-02-01Z')).toEqual([
      '2026-01-01T09:00:00Z',
      '2026-01-02T09:00:00Z',
      '2026-01-03T09:00:00Z',
    ]);
  });

  it('skips months without a 31st for MONTHLY from the 31st', () => {
    const found = occurrences('FREQ=MONTHLY;COUNT=4', '2026-01-31T10:00[America/New_York]', '2026-01-01Z', '2027-01-01Z');
    expect(found).toEqual(['2026-01-31T15:00:00Z', '2026-03-31T14:00:00Z', '2026-05-31T14:00:00Z', '2026-07-31T14:00:00Z']);
  });

  it('does not depend on the process time zone', () => {
    const before = process.env.TZ;
    try {
      const results = ['UTC', 'America/Los_Angeles', 'Asia/Kolkata'].map((tz) => {
        process.env.TZ = tz;
        return occurrences('FREQ=WEEKLY;COUNT=2', '2026-03-22T09:00[Europe/Berlin]', '2026-03-01Z', '2026-05-01Z');
      });
      expect(new Set(results.map((result) => result.join()))).toHaveLength(1);
    } finally {
      process.env.TZ = before;
    }
  });
});
