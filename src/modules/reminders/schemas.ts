import { z } from 'zod';
import { Instant, QueryBoolean, text } from '../../platform/http/schemas.ts';
import { listQuery } from '../../platform/crud/list-schemas.ts';

export const ReminderRepeat = z.enum(['none', 'daily', 'weekly', 'monthly', 'yearly']);

export const ReminderSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string().nullable(),
    remind_at: z.date(),
    repeat: ReminderRepeat,
    is_dismissed: z.boolean(),
    dismissed_at: z.date().nullable(),
    snoozed_until: z.date().nullable(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Reminder' });

/** An instant that lies in the future when the request arrives (a snooze into the past is a typo). */
const FutureInstant = Instant.refine((value) => value.getTime() > Date.now(), 'Must be in the future');

const editable = {
  title: text(500, 1),
  description: text(10000).nullable(),
  remind_at: Instant,
  repeat: ReminderRepeat,
  is_dismissed: z.boolean(),
  snoozed_until: FutureInstant.nullable(),
};

export const NOT_SNOOZED_WHEN_DISMISSED = 'A dismissed reminder cannot be snoozed';

/** A body may not dismiss and snooze at once. */
function dismissedAndSnoozed(value: { is_dismissed?: boolean; snoozed_until?: Date | null }, ctx: z.RefinementCtx) {
  if (value.is_dismissed === true && value.snoozed_until) {
    ctx.addIssue({ code: 'custom', path: ['snoozed_until'], message: NOT_SNOOZED_WHEN_DISMISSED });
  }
}

export const CreateReminderBody = z
  .strictObject(editable)
  .partial()
  .required({ title: true, remind_at: true })
  .superRefine(dismissedAndSnoozed);
export const UpdateReminderBody = z.strictObject(editable).partial().superRefine(dismissedAndSnoozed);

export type CreateReminder = z.output<typeof CreateReminderBody>;
export type UpdateReminder = z.output<typeof UpdateReminderBody>;

/** How long to snooze: for some minutes from now, or until an instant. */
export type SnoozeFor = { minutes: number } | { until: Date };

export const SnoozeBody = z
  .strictObject({
    minutes: z.number().int().min(1).max(10080).optional().meta({ description: 'Snooze for 1..10080 minutes from now' }),
    until: FutureInstant.optional().meta({ description: 'Snooze until this future instant' }),
  })
  .transform((value, ctx): SnoozeFor => {
    if (value.minutes !== undefined && value.until !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'Give either minutes or until, not both' });
      return z.NEVER;
    }
    if (value.until !== undefined) return { until: value.until };
    if (value.minutes !== undefined) return { minutes: value.minutes };
    ctx.addIssue({ code: 'custom', path: [], message: 'Give minutes (1..10080) or until (a future instant)' });
    return z.NEVER;
  })
  .meta({ description: 'Exactly one of minutes or until' });

export const ReminderListQuery = listQuery(['remind_at', 'created_at', 'title'], 'remind_at', {
  dismissed: QueryBoolean.optional(),
  due: QueryBoolean.optional().meta({ description: 'true: not dismissed, remind_at <= now and not snoozed past now' }),
  from: Instant.optional().meta({ description: 'remind_at >= from (an instant)' }),
  to: Instant.optional().meta({ description: 'remind_at < to (an instant after from)' }),
  q: text(200, 1).optional(),
}).superRefine((value, ctx) => {
  if (value.from && value.to && value.to <= value.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must be after from' });
});

export type ReminderListParams = z.output<typeof ReminderListQuery>;
