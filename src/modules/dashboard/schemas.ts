import { z } from 'zod';
import { OccurrenceSchema } from '../events/index.ts';
import { ProjectStatus } from '../projects/index.ts';
import { ReminderSchema } from '../reminders/index.ts';
import { VaultSummarySchema } from '../vault-reminders/index.ts';

const Count = z.number().int().min(0);

export const DashboardSchema = z
  .object({
    date: z.string().meta({ description: "Today in your time zone (YYYY-MM-DD); every part below is computed for it" }),
    timezone: z.string().meta({ description: 'Your time zone (settings)' }),
    events_today: z.array(OccurrenceSchema).meta({
      description:
        'Occurrences overlapping today 00:00 to tomorrow 00:00 in your zone, yours and those you are invited to (declined left out), as GET /api/events lists them; at most 500',
    }),
    truncated: z.boolean().meta({ description: 'True when today holds more than the 500 occurrences events_today lists (the earliest 500)' }),
    todos: z.object({
      open: Count.meta({ description: 'Todos not completed' }),
      overdue: Count.meta({ description: 'Open todos due before today' }),
      due_today: Count.meta({ description: 'Open todos due today' }),
    }),
    reminders: z.object({
      active: Count.meta({ description: 'Reminders not dismissed (waiting, snoozed or due)' }),
      due: z.array(ReminderSchema).meta({ description: 'Due now (as ?due=true): longest waiting first' }),
    }),
    projects: z
      .array(z.object({ id: z.uuid(), name: z.string(), status: ProjectStatus, progress: z.number().int().min(0).max(100) }))
      .meta({ description: 'Projects not completed or archived, by name' }),
    pending_invitations: Count.meta({ description: 'Invitations you have not answered' }),
    birthdays: z
      .array(z.object({ person_id: z.uuid(), name: z.string(), date: z.string(), age: z.number().int() }))
      .meta({ description: 'Birthdays from today through the next 29 days (30 days in all), by date; age is the age they turn' }),
    vault: VaultSummarySchema.nullable().meta({ description: 'The vault of your active household (settings.active_household_id); null when you have none' }),
  })
  .meta({ id: 'Dashboard' });

export type Dashboard = z.output<typeof DashboardSchema>;
