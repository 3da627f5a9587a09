import { absoluteUrl } from '../../platform/http/absolute-url.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { attachment } from '../../platform/http/attachment.ts';
import { answers } from '../../platform/http/problem.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { exportCalendar } from './service.ts';
import { newFeedToken } from './feed-token.ts';
import { findCalendar } from '../calendars/index.ts';
import { deleteFeed, saveFeed } from './feed-queries.ts';
import { IdParams, NoContent } from '../../platform/http/schemas.ts';
import { calendarText, FeedSchema } from './schemas.ts';

const tags = ['calendars'];

function calendarNotFound() {
  return new NotFoundError('Calendar not found');
}

/** The calendar as an .ics download, and its subscription feed: issue (or replace) and revoke. */
const calendarExportRoutes: ModuleRoutes = async (app, { config }) => {
  const db = app.db;

  app.get(
    '/:id/ics',
    {
      schema: {
        tags,
        summary: 'The calendar as RFC 5545 iCalendar: its events with RRULE, EXDATE and one RECURRENCE-ID VEVENT per changed occurrence',
        params: IdParams,
        response: { ...calendarText, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request, reply) => {
      const calendar = await findCalendar(db, request.userId, request.params.id);
      if (!calendar) throw calendarNotFound();
      const text = await exportCalendar(db, calendar);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', attachment(calendar.name, 'ics'))
        .header('cache-control', 'private, no-cache')
        .send(text);
    },
  );

  app.post(
    '/:id/feed',
    {
      schema: {
        tags,
        summary: 'Issue the calendar\'s secret subscription URL; a calendar with one gets a new URL and the old one stops working',
        params: IdParams,
        response: { 201: FeedSchema, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request, reply) => {
      const { token, hash } = newFeedToken();
      if (!(await saveFeed(db, request.userId, request.params.id, hash))) throw calendarNotFound();
      // PUBLIC_URL, or what a trusted proxy forwarded; never a bare Host header.
      const url = absoluteUrl(config, request, `/feeds/${token}.ics`);
      // The body is a credential: no cache may keep it.
      return reply.code(201).header('cache-control', 'no-store').send({ url });
    },
  );

  app.delete(
    '/:id/feed',
    {
      schema: {
        tags,
        summary: 'Revoke the calendar\'s subscription URL (404 when it has none)',
        params: IdParams,
        response: { 204: NoContent, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request, reply) => {
      if (!(await deleteFeed(db, request.userId, request.params.id))) throw new NotFoundError('This calendar has no feed');
      return reply.code(204).send();
    },
  );
};

export default calendarExportRoutes;
