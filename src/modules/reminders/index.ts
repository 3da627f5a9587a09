// The public face of the reminders module: what other modules may use. Nothing else of it is imported from outside.
export { countActiveReminders, listActiveRemindersBetween, listDueReminders } from './queries.ts';
export { ReminderSchema } from './schemas.ts';
