import { answers } from '../../platform/http/problem.ts';
import { NoContent } from '../../platform/http/schemas.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { HouseholdParams, requireHousehold } from '../households/index.ts';
import customReminderRoutes from './custom-routes.ts';
import { buildHouseholdDashboard } from './dashboard.ts';
import { HouseholdDashboardSchema } from './dashboard-schemas.ts';
import { dismissReminder } from './dismiss.ts';
import { DismissBody, ReminderListQuery, ReminderListSchema } from './schemas.ts';
import { listHouseholdReminders } from './service.ts';

const tags = ['vault reminders'];

/** Under `/api/households`: a household's reminders, their dismissal, its dashboard, and items' custom reminders. */
const vaultReminderRoutes: ModuleRoutes = async (app, options) => {
  const db = app.db;
  await app.register(customReminderRoutes, { ...options, prefix: '/:hid/items/:id/reminders' });

  app.get(
    '/:hid/reminders',
    {
      schema: {
        tags,
        summary: "The household's reminders whose remind_on lies in the window: computed from its items' dates (one per reminder_days), and custom ones",
        params: HouseholdParams,
        querystring: ReminderListQuery,
        response: { 200: ReminderListSchema, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request) => {
      const { householdId } = await requireHousehold(db, request.userId, request.params.hid, 'read');
      return listHouseholdReminders(db, householdId, request.userClock, request.query);
    },
  );

  app.post(
    '/:hid/reminders/dismiss',
    {
      schema: {
        tags,
        summary: 'Dismiss a reminder for the whole household (owner, admin, member); a new date of the item brings it back',
        params: HouseholdParams,
        body: DismissBody,
        response: { 204: NoContent, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request, reply) => {
      await dismissReminder(db, request.userId, request.params.hid, request.body);
      return reply.code(204).send();
    },
  );

  app.get(
    '/:hid/dashboard',
    {
      schema: {
        tags,
        summary: 'The household at a glance: items per category, files, members, what expires in 30 days, reminders due, recent activity (owner, admin)',
        params: HouseholdParams,
        response: { 200: HouseholdDashboardSchema, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request) => {
      const access = await requireHousehold(db, request.userId, request.params.hid, 'read');
      return buildHouseholdDashboard(db, access, request.userClock);
    },
  );
};

export default vaultReminderRoutes;
