// The public face of the vault reminders module: what other modules may use.
// - listVaultReminders: the reminders (computed from the items' dates, and custom ones) of one
//   household, of every household a user belongs to, or of the user's active household, whose
//   remind_on lies in a window of dates (both ends included), in the contract's order
//   (remind_on, date, item name), each with its household. Dismissed ones are left out unless
//   `includeDismissed`. One statement, on the date indexes.
export { listReminders as listVaultReminders } from './reminder-queries.ts';
export type { ReminderFilter, ReminderWindow, VaultReminderRow, VaultScope } from './reminder-queries.ts';
// - activeVaultSummary / VaultSummarySchema: GET /api/dashboard's `vault` (the active household,
//   what expires in 30 days, how many reminders are due), in one statement; null without one.
export { activeVaultSummary } from './dashboard.ts';
export { VaultSummarySchema } from './dashboard-schemas.ts';
export type { VaultSummary } from './dashboard-schemas.ts';
