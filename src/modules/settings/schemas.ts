import { z } from 'zod';
import { Password, TimeZone, text, Uuid } from '../../platform/http/schemas.ts';

export const Theme = z.enum(['light', 'dark', 'system']);

export const SettingsSchema = z
  .object({
    email: z.string(),
    display_name: z.string(),
    timezone: z.string(),
    week_start: z.number().int(),
    theme: Theme,
    default_calendar_id: z.uuid().nullable(),
    default_reminder_minutes: z.number().int().nullable(),
    active_household_id: z
      .uuid()
      .nullable()
      .meta({ description: 'The household whose vault the dashboard and upcoming show; null only when you belong to none' }),
    email_digest: z.boolean().meta({
      description: 'A daily email at 08:00 in your time zone listing the next 7 days (events, todos, reminders, vault reminders); none on a day with nothing due',
    }),
  })
  .meta({ id: 'Settings' });

export const UpdateSettingsBody = z.strictObject({
  display_name: text(100, 1).optional(),
  timezone: TimeZone.optional(),
  week_start: z.number().int().min(0).max(6).optional(),
  theme: Theme.optional(),
  default_calendar_id: Uuid.optional(),
  default_reminder_minutes: z.number().int().min(0).max(10080).nullable().optional(),
  active_household_id: Uuid.optional(),
  email_digest: z.boolean().optional(),
});

export const ChangePasswordBody = z.strictObject({
  current_password: z.string().max(200),
  new_password: Password,
  encrypted_user_key: z
    .string()
    .min(16)
    .max(16_384)
    .optional()
    .meta({ description: 'Your user key wrapped by the new password (zero-knowledge clients); required once you have set keys' }),
});
