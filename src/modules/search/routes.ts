import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { answers } from '../../platform/http/problem.ts';
import { SearchQuery, SearchResultsSchema } from './schemas.ts';
import { search } from './service.ts';

const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['views'],
        summary: 'Full-text search across your todos, events (yours and invited), reminders, projects, tasks, people and locations, and the vault items, people, vehicles, providers and saved contacts of every household you belong to (never a sensitive value); best first',
        querystring: SearchQuery,
        response: { 200: SearchResultsSchema, ...answers.signedIn },
      },
    },
    async (request) => ({ items: await search(app.db, request.userId, request.query) }),
  );
};

export default searchRoutes;
