import { z } from 'zod';
import type { FieldIssue } from '../../platform/http/errors.ts';
import { QueryBoolean, Uuid } from '../../platform/http/schemas.ts';
import { CATEGORIES, VaultDate } from '../vault/index.ts';

const CategoryKey = z.enum(CATEGORIES.map((category) => category.key));

/** The longest window one list covers, in days (both ends included). */
export const MAX_WINDOW_DAYS = 366;
/** The default window: today and the 89 days after it. */
export const DEFAULT_WINDOW_DAYS = 90;

export const ReminderListQuery = z.strictObject({
  from: VaultDate.optional().meta({ description: 'First remind_on date (included); default today in your time zone' }),
  to: VaultDate.optional().meta({ description: `Last remind_on date (included); default ${DEFAULT_WINDOW_DAYS - 1} days after from; at most ${MAX_WINDOW_DAYS - 1} days after it` }),
  category: CategoryKey.optional().meta({ description: 'Only the reminders of items of this category' }),
  include_dismissed: QueryBoolean.optional().meta({ description: 'true lists dismissed reminders too (with dismissed: true)' }),
});
export type ReminderListParams = z.output<typeof ReminderListQuery>;

export const VaultReminderSchema = z
  .object({
    item_id: z.uuid(),
    item_name: z.string(),
    category: z.string(),
    subcategory: z.string(),
    field: z.string().nullable().meta({ description: 'The date field it comes from; null for a custom reminder' }),
    date: z.string().nullable().meta({ description: "The field's date; null for a custom reminder" }),
    remind_on: z.string().meta({ description: 'The day to be reminded: date - days_before, or the custom reminder\'s date' }),
    days_before: z.number().int().nullable().meta({ description: 'One of the field\'s reminder_days; null for a custom reminder' }),
    kind: z.enum(['auto', 'custom']),
    note: z.string().nullable(),
    reminder_id: z.uuid().nullable().meta({ description: 'The custom reminder (dismiss it by this id); null for a computed one' }),
    dismissed: z.boolean(),
  })
  .meta({ id: 'VaultReminder' });

export const ReminderListSchema = z.object({
  from: z.string().meta({ description: 'The window used (YYYY-MM-DD, included)' }),
  to: z.string().meta({ description: 'The window used (YYYY-MM-DD, included)' }),
  items: z.array(VaultReminderSchema).meta({ description: 'By remind_on, then date (custom reminders after computed ones), then item name' }),
});

const COMPUTED_KEYS = ['item_id', 'field', 'remind_on'] as const;

/** A computed reminder by item, field and remind_on, or a custom one by its id (dismissalIssues). */
export const DismissBody = z
  .strictObject({
    item_id: Uuid.optional(),
    field: z.string().min(1).max(50).optional(),
    remind_on: VaultDate.optional(),
    reminder_id: Uuid.optional().meta({ description: 'A custom reminder (send nothing else)' }),
  })
  .meta({
    description: 'A computed reminder by item_id, field and remind_on, or a custom one by reminder_id',
    examples: [{ item_id: '0b9c3f63-6f5e-4a53-9a55-3f0f0c9f4a11', field: 'expiry_date', remind_on: '2027-03-02' }],
  });
export type Dismissal = z.output<typeof DismissBody>;

/**
 * One or the other, whole. Checked after the household is resolved, so a stranger learns nothing
 * from a 400 before the 404.
 */
export function dismissalIssues(body: Dismissal): FieldIssue[] {
  if (body.reminder_id !== undefined) {
    return COMPUTED_KEYS.filter((key) => body[key] !== undefined).map((key) => ({ path: key, message: 'Send either reminder_id or item_id, field and remind_on' }));
  }
  return COMPUTED_KEYS.filter((key) => body[key] === undefined).map((key) => ({ path: key, message: 'Required (or send reminder_id)' }));
}
