import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { answers } from '../../platform/http/problem.ts';
import { UpcomingQuery, UpcomingSchema } from './schemas.ts';
import { buildUpcoming } from './service.ts';

const upcomingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['views'],
        summary: 'The next `days` whole days from today 00:00 in your zone: event occurrences, open todos and tasks due, active reminders, birthdays and the vault reminders of your active household, in time order',
        querystring: UpcomingQuery,
        response: { 200: UpcomingSchema, ...answers.signedIn },
      },
    },
    async (request) => {
      const { userId, query } = request;
      return buildUpcoming(app.db, userId, request.userClock, query.days);
    },
  );
};

export default upcomingRoutes;
