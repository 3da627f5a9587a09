import { z } from 'zod';
import { queryInteger } from '../../platform/http/schemas.ts';

export const UpcomingQuery = z.strictObject({
  days: queryInteger({ min: 1, max: 90, default: 7 }).meta({ description: 'Whole days from today 00:00 in your zone, 1..90 (default 7)' }),
});

const item = {
  id: z.uuid(),
  title: z.string(),
  at: z.date().meta({ description: 'When it happens; dated items (todos, tasks, birthdays, vault reminders) at 00:00 of their date in your zone' }),
  all_day: z.boolean(),
};

export const UpcomingItemSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('event'),
      ...item,
      occurrence_start: z.date().nullable().meta({ description: "The occurrence's original start; null for a non-recurring event" }),
    }),
    z.object({ type: z.literal('todo'), ...item }),
    z.object({ type: z.literal('reminder'), ...item }),
    z.object({ type: z.literal('task'), ...item, project_id: z.uuid() }),
    z.object({ type: z.literal('birthday'), ...item, person_id: z.uuid() }),
    z.object({
      type: z.literal('vault_reminder'),
      ...item,
      id: z.uuid().meta({ description: 'The vault item' }),
      field: z.string().nullable().meta({ description: 'The date field the reminder comes from; null for a custom reminder' }),
      household_id: z.uuid(),
    }),
  ])
  .meta({ id: 'UpcomingItem' });
export type UpcomingItem = z.output<typeof UpcomingItemSchema>;

export const UpcomingSchema = z
  .object({
    from: z.date().meta({ description: 'Today 00:00 in your zone' }),
    to: z.date().meta({ description: '00:00 in your zone `days` days later (exclusive)' }),
    items: z.array(UpcomingItemSchema).meta({ description: 'In time order; equal times by type (event, todo, reminder, task, birthday, vault_reminder), then id; at most 500 event occurrences' }),
    truncated: z.boolean().meta({ description: 'True when the days hold more than the 500 event occurrences listed (the earliest 500)' }),
  })
  .meta({ id: 'Upcoming' });
export type Upcoming = z.output<typeof UpcomingSchema>;
