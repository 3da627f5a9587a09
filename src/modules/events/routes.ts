import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authorize } from './access.ts';
import { EVENT_FIELDS } from './permissions.ts';
import { eventBody } from './present.ts';
import { decodePageToken, encodePageToken } from './page-token.ts';
import { pageOfRange, rangeIdentity, readRange, resolveWindow } from './range.ts';
import { createEvent, deleteEvent, updateEvent } from './write.ts';
import { invalidField, PreconditionFailedError } from '../../platform/http/errors.ts';
import { readIfMatch, type VersionCondition } from '../../platform/http/etag.ts';
import { answers } from '../../platform/http/problem.ts';
import { listShape, pageSerializer, requestedFields } from '../../platform/http/partial-response.ts';
import { findCalendar } from '../calendars/index.ts';
import { listInvitees } from './invitee-queries.ts';
import { IdParams, NoContent } from '../../platform/http/schemas.ts';
import { CreateEventBody, DeleteEventQuery, EventSchema, OccurrenceList, type OccurrencePage, RangeQuery, UpdateEventBody } from './schemas.ts';
import { sendEntity } from '../../platform/crud/crud-routes.ts';

const tags = ['events'];

const occurrencePage = listShape(OccurrenceList);
if (!occurrencePage) throw new Error('OccurrenceList is not a page of objects');

function checkIfMatch(ifMatch: VersionCondition, version: number) {
  if (ifMatch.versions && !ifMatch.versions.includes(version)) throw new PreconditionFailedError(ifMatch.header ?? '', String(version));
}

const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.db;

  app.get(
    '/',
    {
      schema: {
        tags,
        summary:
          'Occurrences of your and your invited events overlapping [from, to), sorted by start, at most `limit` a page (default: 30 days from today 00:00 in your zone)',
        querystring: RangeQuery,
        response: { 200: OccurrenceList, ...answers.signedIn },
      },
    },
    async (request, reply) => {
      const { userId, query } = request;
      if (query.calendar_id && !(await findCalendar(db, userId, query.calendar_id))) throw invalidField('calendar_id', 'Not one of your calendars');
      const window = resolveWindow(query, request.userClock.timezone);
      const filter = { calendarId: query.calendar_id, includeDeclined: query.include_declined === true };
      const pageQuery = { userId, ...window, ...filter };
      const after = query.page_token === undefined ? undefined : decodePageToken(pageQuery, query.page_token);
      const rows = await readRange(db, userId, window, filter);
      // The answer is a function of the user, the resolved request and these rows: the same
      // inputs answered before are sent as they were serialized then (platform/http/answer-cache.ts).
      const fields = requestedFields(query);
      return app.answers.send(reply, () => ['GET /api/events', userId, window, query, rangeIdentity(rows)], () => {
        const page = pageOfRange(rows, window, { limit: query.limit, after });
        const body: OccurrencePage = { items: page.items, ...(page.next ? { next_page_token: encodePageToken(pageQuery, page.next) } : {}) };
        return pageSerializer(occurrencePage, fields)(body);
      });
    },
  );

  app.post(
    '/',
    { schema: { tags, summary: 'Create an event', body: CreateEventBody, response: { 201: EventSchema, ...answers.signedIn } } },
    async (request, reply) => {
      const { userId } = request;
      const created = await db.transaction().execute(async (trx) => {
        const event = await createEvent({ trx, actorId: userId, ownerId: userId, rules: app.rules }, request.body);
        return authorize(trx, userId, event.id, { kind: 'view' });
      });
      return sendEntity(reply, created.event, 201).send(eventBody(created.event, created.owner, created.access, []));
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'The event (series master) with its invitees; owner and invitees',
        params: IdParams,
        response: { 200: EventSchema, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request, reply) => {
      const found = await authorize(db, request.userId, request.params.id, { kind: 'view' });
      const invitees = await listInvitees(db, found.event.id);
      return sendEntity(reply, found.event).send(eventBody(found.event, found.owner, found.access, invitees));
    },
  );

  app.route({
    method: ['PUT', 'PATCH'],
    url: '/:id',
    schema: {
      tags,
      summary: 'Change an event, one occurrence (scope this), this and following, or all (PUT and PATCH are both partial; honours If-Match)',
      params: IdParams,
      body: UpdateEventBody,
      response: { 200: EventSchema, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed },
    },
    handler: async (request, reply) => {
      const { userId } = request;
      const { scope = 'all', occurrence_start, ...change } = request.body;
      const fields = EVENT_FIELDS.filter((field) => change[field] !== undefined);
      const ifMatch = readIfMatch(request);
      const result = await db.transaction().execute(async (trx) => {
        const found = await authorize(trx, userId, request.params.id, { kind: 'update', fields, scope }, true);
        checkIfMatch(ifMatch, found.event.version);
        // An empty change is no change: the event is returned as it is, its version not bumped.
        if (fields.length === 0) return found;
        const writer = { trx, actorId: userId, ownerId: found.owner.id, rules: app.rules };
        const event = await updateEvent(writer, found.event, change, { scope, occurrenceStart: occurrence_start });
        return { ...found, event };
      });
      const invitees = await listInvitees(db, result.event.id);
      return sendEntity(reply, result.event).send(eventBody(result.event, result.owner, result.access, invitees));
    },
  });

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete an event, cancel one occurrence (scope this) or end the series (following); owner only; honours If-Match',
        params: IdParams,
        querystring: DeleteEventQuery,
        response: { 204: NoContent, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed },
      },
    },
    async (request, reply) => {
      const { userId } = request;
      const { scope = 'all', occurrence_start } = request.query;
      const ifMatch = readIfMatch(request);
      await db.transaction().execute(async (trx) => {
        const found = await authorize(trx, userId, request.params.id, { kind: 'delete', scope }, true);
        checkIfMatch(ifMatch, found.event.version);
        await deleteEvent({ trx, actorId: userId, ownerId: found.owner.id, rules: app.rules }, found.event, { scope, occurrenceStart: occurrence_start });
      });
      return reply.code(204).send();
    },
  );
};

export default eventRoutes;
