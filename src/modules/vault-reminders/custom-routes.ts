import type { z } from 'zod';
import { auditRecordChanges } from '../../platform/audit/record-audit.ts';
import { type CrudScope, registerScopedCrudRoutes } from '../../platform/crud/crud-routes.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { type ItemOwner, ItemParams, resolveItem } from '../vault/index.ts';
import { deleteCustomReminder, findCustomReminder, insertCustomReminder, listCustomReminders, updateCustomReminder } from './custom-queries.ts';
import { CreateCustomReminderBody, CustomReminderListQuery, CustomReminderParams, CustomReminderSchema, UpdateCustomReminderBody } from './custom-schemas.ts';

const reminderScope: CrudScope<ItemOwner, z.output<typeof ItemParams>, z.output<typeof CustomReminderParams>> = {
  parent: 'Item',
  params: ItemParams,
  itemUrl: '/:reminder_id',
  itemParams: CustomReminderParams,
  itemId: (params) => params.reminder_id,
  owner: (db, userId, params, purpose) => resolveItem(db, userId, params, purpose, false),
};

/** `/api/households/{hid}/items/{id}/reminders`: reminders people add to an item, beside the computed ones. */
const customReminderRoutes: ModuleRoutes = async (app) => {
  registerScopedCrudRoutes(
    app,
    {
      name: 'Reminder',
      tag: 'vault reminders',
      schemas: { entity: CustomReminderSchema, create: CreateCustomReminderBody, update: UpdateCustomReminderBody, list: CustomReminderListQuery },
      list: listCustomReminders,
      find: findCustomReminder,
      insert: insertCustomReminder,
      update: updateCustomReminder,
      remove: deleteCustomReminder,
      // The note is the household's own words, not a sensitive field, but the log needs only the day.
      onChange: auditRecordChanges('reminder', (row) => ({ item_id: row.item_id, remind_on: row.remind_on })),
    },
    reminderScope,
  );
};

export default customReminderRoutes;
