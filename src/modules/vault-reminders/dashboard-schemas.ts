import { z } from 'zod';
import { AuditEntrySchema } from '../audit/index.ts';
import { HouseholdRoleSchema } from '../households/index.ts';

const Count = z.number().int().min(0);

export const ExpiringItemSchema = z
  .object({
    item_id: z.uuid(),
    item_name: z.string(),
    category: z.string(),
    subcategory: z.string(),
    field: z.string().meta({ description: 'The date field (one with reminder_days) that falls in the window; the earliest when several do' }),
    date: z.string().meta({ description: 'YYYY-MM-DD' }),
  })
  .meta({ id: 'ExpiringVaultItem' });

const expiring = z
  .array(ExpiringItemSchema)
  .meta({ description: 'Items with a reminder date (a date field with reminder_days) from today through the next 29 days (30 days in all), by date, then name; at most 100; dismissals do not hide them' });
const remindersDue = Count.meta({
  description: 'Reminders (computed and custom) whose remind_on is today or before and that are not dismissed; a computed one only while its date is today or later',
});

/** The vault of the active household, as GET /api/dashboard shows it. */
export const VaultSummarySchema = z
  .object({ household: z.object({ id: z.uuid(), name: z.string() }), expiring, reminders_due: remindersDue })
  .meta({ id: 'DashboardVault' });
export type VaultSummary = z.output<typeof VaultSummarySchema>;

export const HouseholdDashboardSchema = z
  .object({
    date: z.string().meta({ description: 'Today in your time zone (YYYY-MM-DD); expiring and reminders_due are computed for it' }),
    items_by_category: z.array(z.object({ category: z.string(), count: Count })).meta({ description: 'Categories that hold items, by category key' }),
    files: z.object({ count: Count, bytes: Count }).meta({ description: "The household's files and their stored size" }),
    members: z
      .array(z.object({ user_id: z.uuid(), display_name: z.string(), role: HouseholdRoleSchema }))
      .meta({ description: 'Every member, owner first, then by role and name (GET .../members has the full entries)' }),
    expiring,
    reminders_due: remindersDue,
    recent_activity: z.array(AuditEntrySchema).meta({ description: 'The last 10 audit entries, newest first; for owners and admins, else []' }),
  })
  .meta({ id: 'HouseholdDashboard' });
export type HouseholdDashboard = z.output<typeof HouseholdDashboardSchema>;
