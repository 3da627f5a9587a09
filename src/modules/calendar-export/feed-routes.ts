import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';
import { exportCalendar } from './service.ts';
import { hashFeedToken, isFeedToken } from './feed-token.ts';
import { findFeedCalendar } from './feed-queries.ts';
import { calendarText, FeedParams } from './schemas.ts';

/**
 * Clients keep a copy for five minutes (so a revoked URL can serve a cached copy that long), and
 * `private` keeps shared caches from storing what a secret URL returns.
 */
const FEED_CACHE_CONTROL = 'private, max-age=300';

/**
 * GET /feeds/{token}.ics: a calendar for subscribing apps, which send no cookie. Registered
 * outside /api, so no session is read or created. The token never reaches the logs (the
 * logger's request serializer redacts every /feeds/ URL).
 */
const feedRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.db;

  app.get(
    '/:token.ics',
    {
      schema: {
        tags: ['calendars'],
        summary: 'A calendar by its secret subscription URL (no cookie); 404 once revoked or replaced',
        params: FeedParams,
        response: { ...calendarText, ...answers.always, ...answers.notFound },
      },
    },
    async (request, reply) => {
      const { token } = request.params;
      const calendar = isFeedToken(token) ? await findFeedCalendar(db, hashFeedToken(token)) : undefined;
      if (!calendar) throw new NotFoundError('No calendar has this feed URL; it may have been revoked or replaced');
      const text = await exportCalendar(db, calendar);
      return reply.type('text/calendar; charset=utf-8').header('cache-control', FEED_CACHE_CONTROL).send(text);
    },
  );
};

export default feedRoutes;
