import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceUnavailableError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';

const StatusSchema = z.object({ status: z.literal('ok') });

/** Liveness (the process runs) and readiness (the database and the file storage answer), for orchestrators. */
const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', { schema: { tags: ['operations'], response: { 200: StatusSchema, ...answers.always } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], response: { 200: StatusSchema, ...answers.always } } },
    async () => {
      if (!(await app.isDatabaseReady())) throw new ServiceUnavailableError('The database does not answer');
      if (!(await app.isStorageReady())) throw new ServiceUnavailableError('The file storage does not answer');
      return { status: 'ok' as const };
    },
  );
};

export default healthRoutes;
