import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ConflictError, invalidField } from '../../platform/http/errors.ts';
import { readIfMatch, type VersionCondition } from '../../platform/http/etag.ts';
import { answers } from '../../platform/http/problem.ts';
import {
  deleteReminder,
  findReminder,
  insertReminder,
  listReminders,
  type LockedReminder,
  lockReminder,
  type ReminderRow,
  setReminderState,
  updateReminder,
} from './queries.ts';
import { dismissal } from './service.ts';
import { IdParams } from '../../platform/http/schemas.ts';
import {
  CreateReminderBody,
  NOT_SNOOZED_WHEN_DISMISSED,
  ReminderListQuery,
  ReminderSchema,
  SnoozeBody,
  UpdateReminderBody,
} from './schemas.ts';
import { registerCrudRoutes, sendEntity, versionedWrite } from '../../platform/crud/crud-routes.ts';

type App = Parameters<FastifyPluginAsyncZod>[0];
type Action = (trx: Kysely<DB>, locked: LockedReminder) => Promise<ReminderRow | undefined>;

/**
 * Runs an action (dismiss, snooze) on the reminder locked in one transaction, so what it
 * computes from the stored row is still true when it writes: 404, then If-Match (412), then
 * the action's own rules and change.
 */
function lockedAction(app: App, userId: string, id: string, ifMatch: VersionCondition, action: Action) {
  return app.db.transaction().execute((trx) =>
    versionedWrite(
      'Reminder',
      ifMatch,
      async (versions) => {
        const locked = await lockReminder(trx, userId, id);
        if (!locked || (versions && !versions.includes(locked.reminder.version))) return undefined;
        return action(trx, locked);
      },
      async () => (await findReminder(trx, userId, id))?.version,
    ),
  );
}

const reminderRoutes: FastifyPluginAsyncZod = async (app) => {
  registerCrudRoutes(app, {
    name: 'Reminder',
    tag: 'reminders',
    schemas: { entity: ReminderSchema, create: CreateReminderBody, update: UpdateReminderBody, list: ReminderListQuery },
    list: listReminders,
    find: findReminder,
    insert: insertReminder,
    update: updateReminder,
    remove: deleteReminder,
    // Like the both-or-neither rule of locations: a change that would leave a dismissed reminder snoozed.
    checkUpdate: async (_db, _userId, current, changes) => {
      if (changes.snoozed_until && (changes.is_dismissed ?? current.is_dismissed)) {
        throw invalidField('snoozed_until', NOT_SNOOZED_WHEN_DISMISSED);
      }
    },
  });

  app.patch(
    '/:id/dismiss',
    {
      schema: {
        tags: ['reminders'],
        summary:
          'Dismiss: a one-off reminder becomes dismissed; a repeating one moves to its next occurrence after now in your time zone. Ends a snooze; dismissing a dismissed reminder changes nothing. Honours If-Match.',
        params: IdParams,
        response: { 200: ReminderSchema, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed },
      },
    },
    async (request, reply) => {
      const { userId } = request;
      const { id } = request.params;
      const reminder = await lockedAction(app, userId, id, readIfMatch(request), async (trx, { reminder, timezone, now }) => {
        const change = dismissal(reminder, timezone, now);
        return change ? setReminderState(trx, userId, id, change) : reminder;
      });
      return sendEntity(reply, reminder).send(reminder);
    },
  );

  app.patch(
    '/:id/snooze',
    {
      schema: {
        tags: ['reminders'],
        summary: 'Snooze for `minutes` (1..10080) or `until` a future instant; 409 on a dismissed reminder. Honours If-Match.',
        params: IdParams,
        body: SnoozeBody,
        response: {
          200: ReminderSchema,
          ...answers.signedIn,
          ...answers.notFound,
          ...answers.conflict,
          ...answers.preconditionFailed,
        },
      },
    },
    async (request, reply) => {
      const { userId, body } = request;
      const { id } = request.params;
      const reminder = await lockedAction(app, userId, id, readIfMatch(request), async (trx, { reminder, now }) => {
        if (reminder.is_dismissed) throw new ConflictError(NOT_SNOOZED_WHEN_DISMISSED);
        const until = 'until' in body ? body.until : new Date(now.getTime() + body.minutes * 60_000);
        return setReminderState(trx, userId, id, { snoozed_until: until });
      });
      return sendEntity(reply, reminder).send(reminder);
    },
  );
};

export default reminderRoutes;
