import { describe, expect, it } from 'vitest';
import { dismissal, nextOccurrence } from '../src/modules/reminders/service.ts';

// The pure calendar arithmetic behind PATCH /api/reminders/{id}/dismiss, with a controlled "now".
// Expected instants are written out by hand (offsets from the tz database), not computed.

const at = (iso: string) => new Date(iso);

describe('nextOccurrence', () => {
  it('daily keeps 09:00 local across the spring-forward change in Europe/Berlin', () => {
    const anchor = at('2026-03-27T09:00:00+01:00');
    expect(nextOccurrence(anchor, 'daily', 'Europe/Berlin', at('2026-03-28T08:00:00Z'))).toEqual(at('2026-03-29T09:00:00+02:00'));
    expect(nextOccurrence(anchor, 'daily', 'Europe/Berlin', at('2026-03-29T07:00:00Z'))).toEqual(at('2026-03-30T09:00:00+02:00'));
  });

  it('daily keeps 09:00 local across the fall-back change in America/New_York', () => {
    const anchor = at('2026-10-30T09:00:00-04:00');
    expect(nextOccurrence(anchor, 'daily', 'America/New_York', at('2026-10-31T14:00:00Z'))).toEqual(at('2026-11-01T09:00:00-05:00'));
  });

  it('is strictly after: an occurrence exactly at "after" is skipped', () => {
    const anchor = at('2026-05-01T09:00:00Z');
    expect(nextOccurrence(anchor, 'daily', 'UTC', at('2026-05-03T09:00:00Z'))).toEqual(at('2026-05-04T09:00:00Z'));
    expect(nextOccurrence(anchor, 'daily', 'UTC', at('2026-05-03T08:59:59.999Z'))).toEqual(at('2026-05-03T09:00:00Z'));
  });

  it('weekly stays on the weekday and the local time across DST', () => {
    const monday = at('2026-10-19T09:00:00+02:00');
    expect(nextOccurrence(monday, 'weekly', 'Europe/Berlin', at('2026-10-19T08:00:00Z'))).toEqual(at('2026-10-26T09:00:00+01:00'));
    expect(nextOccurrence(monday, 'weekly', 'Europe/Berlin', at('2026-10-20T00:00:00Z'))).toEqual(at('2026-10-26T09:00:00+01:00'));
  });

  it('monthly on the 31st lands on each month’s last day and returns to the 31st', () => {
    const anchor = at('2026-01-31T09:00:00+01:00');
    const zone = 'Europe/Berlin';
    expect(nextOccurrence(anchor, 'monthly', zone, at('2026-02-01T00:00:00Z'))).toEqual(at('2026-02-28T09:00:00+01:00'));
    expect(nextOccurrence(anchor, 'monthly', zone, at('2026-02-28T09:00:00+01:00'))).toEqual(at('2026-03-31T09:00:00+02:00'));
    expect(nextOccurrence(anchor, 'monthly', zone, at('2026-03-31T09:00:00+02:00'))).toEqual(at('2026-04-30T09:00:00+02:00'));
    expect(nextOccurrence(anchor, 'monthly', zone, at('2026-04-30T09:00:00+02:00'))).toEqual(at('2026-05-31T09:00:00+02:00'));
    expect(nextOccurrence(anchor, 'monthly', zone, at('2028-02-01T00:00:00Z'))).toEqual(at('2028-02-29T09:00:00+01:00'));
  });

  it('yearly on 29 February falls on 28 February in other years and on the 29th in leap years', () => {
    const anchor = at('2024-02-29T09:00:00Z');
    expect(nextOccurrence(anchor, 'yearly', 'UTC', at('2024-03-01T00:00:00Z'))).toEqual(at('2025-02-28T09:00:00Z'));
    expect(nextOccurrence(anchor, 'yearly', 'UTC', at('2026-11-22T00:00:00Z'))).toEqual(at('2027-02-28T09:00:00Z'));
    expect(nextOccurrence(anchor, 'yearly', 'UTC', at('2027-03-01T00:00:00Z'))).toEqual(at('2028-02-29T09:00:00Z'));
  });

  it('counts the day in the zone, not in UTC', () => {
    // 23:30 on the 31st in Kiritimati (UTC+14) is 09:30 UTC on the 31st; in Pago Pago (UTC-11)
    // 23:30 on the 31st is 10:30 UTC on the 1st of the next month.
    const kiritimati = at('2026-01-31T23:30:00+14:00');
    expect(nextOccurrence(kiritimati, 'monthly', 'Pacific/Kiritimati', at('2026-02-01T00:00:00Z'))).toEqual(at('2026-02-28T23:30:00+14:00'));
    const pagoPago = at('2026-01-31T23:30:00-11:00');
    expect(nextOccurrence(pagoPago, 'monthly', 'Pacific/Pago_Pago', at('2026-02-02T00:00:00Z'))).toEqual(at('2026-02-28T23:30:00-11:00'));
  });

  it('finds the next occurrence of a long series without walking it from the start', () => {
    const anchor = at('1990-01-31T09:00:00Z');
    expect(nextOccurrence(anchor, 'daily', 'UTC', at('2026-06-15T12:00:00Z'))).toEqual(at('2026-06-16T09:00:00Z'));
    expect(nextOccurrence(anchor, 'monthly', 'UTC', at('2026-06-15T12:00:00Z'))).toEqual(at('2026-06-30T09:00:00Z'));
    expect(nextOccurrence(anchor, 'yearly', 'UTC', at('2026-06-15T12:00:00Z'))).toEqual(at('2027-01-31T09:00:00Z'));
  });

  it('returns the anchor itself when the series has not started yet', () => {
    const anchor = at('2030-01-01T09:00:00Z');
    expect(nextOccurrence(anchor, 'weekly', 'UTC', at('2026-01-01T00:00:00Z'))).toEqual(anchor);
  });
});

describe('dismissal', () => {
  const now = at('2026-03-10T12:00:00Z');
  const base = { remind_at: at('2026-03-10T09:00:00Z'), repeat_anchor: at('2026-01-31T09:00:00Z'), is_dismissed: false };

  it('dismisses a one-off reminder at now and ends a snooze', () => {
    expect(dismissal({ ...base, repeat: 'none' }, 'UTC', now)).toEqual({ is_dismissed: true, dismissed_at: now, snoozed_until: null });
  });

  it('changes nothing on a reminder that is already dismissed', () => {
    expect(dismissal({ ...base, repeat: 'none', is_dismissed: true }, 'UTC', now)).toBeUndefined();
    expect(dismissal({ ...base, repeat: 'daily', is_dismissed: true }, 'UTC', now)).toBeUndefined();
  });

  it('moves a repeating reminder to its next occurrence after now, counted from the anchor', () => {
    expect(dismissal({ ...base, repeat: 'monthly' }, 'UTC', now)).toEqual({ remind_at: at('2026-03-31T09:00:00Z'), snoozed_until: null });
  });

  it('skips an upcoming occurrence that is dismissed ahead of time', () => {
    const upcoming = { ...base, repeat: 'monthly' as const, remind_at: at('2026-03-31T09:00:00Z') };
    expect(dismissal(upcoming, 'UTC', now)).toEqual({ remind_at: at('2026-04-30T09:00:00Z'), snoozed_until: null });
  });
});
