import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { recordHouseholdAudit } from '../../platform/audit/record-audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { InvalidInputError, invalidField } from '../../platform/http/errors.ts';
import { requireHousehold } from '../households/index.ts';
import { dismissCustomReminder, findItemDate, insertDismissal } from './dismiss-queries.ts';
import { reminderDaysOf } from './rules.ts';
import { type Dismissal, dismissalIssues } from './schemas.ts';

/**
 * Dismisses one reminder for the whole household, in one transaction with its audit entry. A
 * computed reminder is named by item, field and remind_on and must be one the item has now; the
 * dismissal keeps the field's date, so a new date brings the reminder back. Naming what is not
 * there (another household's item, a field without reminders, a day no reminder falls on) is a
 * 400 naming the field; dismissing again changes nothing and writes no second entry.
 */
export async function dismissReminder(db: Kysely<DB>, userId: string, householdId: string, body: Dismissal): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await requireHousehold(trx, userId, householdId, 'dismiss', 'share');
    const issues = dismissalIssues(body);
    if (issues.length > 0) throw new InvalidInputError(issues);
    if (body.reminder_id !== undefined) {
      const custom = await dismissCustomReminder(trx, householdId, body.reminder_id, userId);
      if (!custom) throw invalidField('reminder_id', 'Not a custom reminder of this household');
      if (!custom.changed) return;
      await recordHouseholdAudit(trx, {
        householdId,
        actorId: userId,
        action: 'reminder.dismissed',
        target: { type: 'reminder', id: body.reminder_id },
        details: { kind: 'custom', item_id: custom.item_id, remind_on: custom.remind_on },
      });
      return;
    }
    const { item_id: itemId, field, remind_on: remindOn } = body;
    if (itemId === undefined || field === undefined || remindOn === undefined) throw invalidField('item_id', 'Required (or send reminder_id)');
    const item = await findItemDate(trx, householdId, itemId, field);
    if (!item) throw invalidField('item_id', 'Not an item of this household');
    const days = reminderDaysOf(item.category, item.subcategory, field);
    if (days.length === 0) throw invalidField('field', `Not a date field with reminders of ${item.category}/${item.subcategory}`);
    if (item.date === null) throw invalidField('field', 'The item has no date in this field');
    const daysBefore = Temporal.PlainDate.from(remindOn).until(Temporal.PlainDate.from(item.date)).days;
    if (!days.includes(daysBefore)) {
      throw invalidField('remind_on', `No reminder of ${field} (${item.date}; ${days.join(', ')} days before) falls on ${remindOn}`);
    }
    const changed = await insertDismissal(trx, { householdId, itemId, field, date: item.date, remindOn, userId });
    if (!changed) return;
    await recordHouseholdAudit(trx, {
      householdId,
      actorId: userId,
      action: 'reminder.dismissed',
      target: { type: 'item', id: itemId },
      details: { kind: 'auto', name: item.name, field, date: item.date, remind_on: remindOn, days_before: daysBefore },
    });
  });
}
