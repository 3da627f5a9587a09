import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ConflictError } from '../../platform/http/errors.ts';
import { deleteCalendar, findCalendar, insertCalendar, listCalendars, updateCalendar } from './queries.ts';
import { CalendarListQuery, CalendarSchema, CreateCalendarBody, UpdateCalendarBody } from './schemas.ts';
import { registerCrudRoutes } from '../../platform/crud/crud-routes.ts';

const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  registerCrudRoutes(app, {
    name: 'Calendar',
    tag: 'calendars',
    schemas: { entity: CalendarSchema, create: CreateCalendarBody, update: UpdateCalendarBody, list: CalendarListQuery },
    list: listCalendars,
    find: findCalendar,
    // New calendars are never the default: that moves only through /api/settings.
    insert: (db, userId, values) => insertCalendar(db, userId, { ...values, is_default: false }),
    update: updateCalendar,
    // Each user keeps exactly one default calendar, so it cannot be deleted (make another the
    // default first). The delete itself also skips a default row, should one become default meanwhile.
    remove: async (db, userId, id, versions) => {
      const calendar = await findCalendar(db, userId, id);
      if (calendar?.is_default) throw new ConflictError('The default calendar cannot be deleted; make another calendar the default first');
      return deleteCalendar(db, userId, id, versions);
    },
  });
};

export default calendarRoutes;
