import { z } from 'zod';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { text, Uuid } from '../../platform/http/schemas.ts';
import { VaultDate } from '../vault/index.ts';

// Custom reminders on an item: /api/households/{hid}/items/{id}/reminders.

export const CustomReminderSchema = z
  .object({
    id: z.uuid(),
    item_id: z.uuid(),
    remind_on: z.string().meta({ description: 'YYYY-MM-DD' }),
    note: z.string().nullable(),
    dismissed: z.boolean().meta({ description: 'Dismissed for this remind_on (a new remind_on brings it back)' }),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'CustomVaultReminder' });

const Note = text(1000).nullable().meta({ description: 'Up to 1000 characters' });

export const CreateCustomReminderBody = z
  .strictObject({ remind_on: VaultDate, note: Note.optional() })
  .meta({ examples: [{ remind_on: '2027-02-01', note: 'Book the embassy appointment' }] });
export type CreateCustomReminder = z.output<typeof CreateCustomReminderBody>;

export const UpdateCustomReminderBody = z.strictObject({ remind_on: VaultDate, note: Note }).partial();
export type UpdateCustomReminder = z.output<typeof UpdateCustomReminderBody>;

export const CustomReminderListQuery = listQuery(['remind_on', 'created_at'], 'remind_on', {});
export type CustomReminderListParams = z.output<typeof CustomReminderListQuery>;

export const CustomReminderParams = z.strictObject({ hid: Uuid, id: Uuid, reminder_id: Uuid });
