import { Temporal } from 'temporal-polyfill';
import type { Selectable } from 'kysely';
import type { ReminderRepeat, Reminders } from '../../platform/db/schema.ts';

export type Repeating = Exclude<ReminderRepeat, 'none'>;

const UNIT = { daily: 'days', weekly: 'weeks', monthly: 'months', yearly: 'years' } as const;

/**
 * The n-th occurrence of a series, always counted from its first one: Temporal keeps the wall
 * clock time in the zone across DST, and `constrain` clamps a missing day (31 April -> 30 April,
 * 29 February -> 28 February) without moving the series off its anchor day.
 */
function occurrence(start: Temporal.ZonedDateTime, repeat: Repeating, n: number): Temporal.ZonedDateTime {
  const options = { overflow: 'constrain' } as const;
  switch (repeat) {
    case 'daily':
      return start.add({ days: n }, options);
    case 'weekly':
      return start.add({ weeks: n }, options);
    case 'monthly':
      return start.add({ months: n }, options);
    case 'yearly':
      return start.add({ years: n }, options);
  }
}

/**
 * The first occurrence strictly after `after` of the series that starts at `anchor` and repeats
 * in `timeZone` (an IANA name).
 */
export function nextOccurrence(anchor: Date, repeat: Repeating, timeZone: string, after: Date): Date {
  const start = Temporal.Instant.fromEpochMilliseconds(anchor.getTime()).toZonedDateTimeISO(timeZone);
  const limit = Temporal.Instant.fromEpochMilliseconds(after.getTime()).toZonedDateTimeISO(timeZone);
  const unit = UNIT[repeat];
  // Jump close to the answer instead of walking a long series one step at a time; one step
  // back makes up for clamped days, then the loop finds the exact occurrence.
  const elapsed = start.until(limit, { largestUnit: unit })[unit];
  let n = Math.max(0, elapsed - 1);
  let candidate = occurrence(start, repeat, n);
  while (Temporal.ZonedDateTime.compare(candidate, limit) <= 0) candidate = occurrence(start, repeat, ++n);
  return new Date(candidate.epochMilliseconds);
}

export type DismissibleReminder = Pick<Selectable<Reminders>, 'repeat' | 'remind_at' | 'repeat_anchor' | 'is_dismissed'>;

export type Dismissal =
  | { is_dismissed: true; dismissed_at: Date; snoozed_until: null }
  | { remind_at: Date; snoozed_until: null };

/**
 * What dismissing does at `now`: a one-off reminder becomes dismissed; a repeating one moves to
 * its next occurrence after now (or after its current one, when that is still ahead: dismissing
 * an upcoming occurrence skips it). Either way a snooze is over. Undefined when the reminder is
 * already dismissed: dismissing again changes nothing.
 */
export function dismissal(reminder: DismissibleReminder, timeZone: string, now: Date): Dismissal | undefined {
  if (reminder.is_dismissed) return undefined;
  if (reminder.repeat === 'none') return { is_dismissed: true, dismissed_at: now, snoozed_until: null };
  const after = reminder.remind_at > now ? reminder.remind_at : now;
  return { remind_at: nextOccurrence(reminder.repeat_anchor, reminder.repeat, timeZone, after), snoozed_until: null };
}
