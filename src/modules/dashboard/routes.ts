import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { answers } from '../../platform/http/problem.ts';
import { DashboardSchema } from './schemas.ts';
import { buildDashboard } from './service.ts';

const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['views'],
        summary: "Today at a glance, computed in your time zone: events, todo counts, reminders, projects, invitations, birthdays, the active household's vault",
        response: { 200: DashboardSchema, ...answers.signedIn },
      },
    },
    async (request) => buildDashboard(app.db, request.userId, request.userClock),
  );
};

export default dashboardRoutes;
