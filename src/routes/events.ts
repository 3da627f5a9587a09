import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { invalidField, NotFoundError, PreconditionFailedError } from '../http/errors.ts';
import { readIfMatch, type VersionCondition } from '../http/etag.ts';
import { answers } from '../http/problem.ts';
import { expandCandidates, resolveWindow } from '../events/range.ts';
import { eventBody, OWNER_ACCESS } from '../events/present.ts';
import { createEvent, deleteEvent, updateEvent } from '../events/write.ts';
import { findCalendar } from '../queries/calendars.ts';
import { findOwnedEvent, listOwnedSeriesInRange } from '../queries/events.ts';
import { findUserTimezone } from '../queries/settings.ts';
import { IdParams, NoContent } from '../schemas/common.ts';
import { CreateEventBody, DeleteEventQuery, EventSchema, OccurrenceList, RangeQuery, UpdateEventBody } from '../schemas/events.ts';
import { sendEntity } from './crud.ts';

const tags = ['events'];

function checkIfMatch(ifMatch: VersionCondition, version: number) {
  if (ifMatch.versions && !ifMatch.versions.includes(version)) throw new PreconditionFailedError(ifMatch.header ?? '', String(version));
}

const notFound = () => new NotFoundError('Event not found');

const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.db;

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'Occurrences overlapping [from, to), sorted by start (default: 30 days from today 00:00 in your zone)',
        querystring: RangeQuery,
        response: { 200: OccurrenceList, ...answers.signedIn },
      },
    },
    async (request) => {
      const { userId, query } = request;
      if (query.calendar_id && !(await findCalendar(db, userId, query.calendar_id))) throw invalidField('calendar_id', 'Not one of your calendars');
      const window = resolveWindow(query, await findUserTimezone(db, userId));
      const owned = await listOwnedSeriesInRange(db, userId, { ...window, calendarId: query.calendar_id });
      const items = await expandCandidates(db, owned.map((row) => ({ ...row, access: OWNER_ACCESS })), window);
      return { items };
    },
  );

  app.post(
    '/',
    { schema: { tags, summary: 'Create an event', body: CreateEventBody, response: { 201: EventSchema, ...answers.signedIn } } },
    async (request, reply) => {
      const { userId } = request;
      const { event } = await db.transaction().execute((trx) => createEvent(trx, userId, request.body));
      const owned = await findOwnedEvent(db, userId, event.id);
      if (!owned) throw notFound();
      return sendEntity(reply, event, 201).send(eventBody(owned.event, owned.owner, OWNER_ACCESS, []));
    },
  );

  app.get(
    '/:id',
    { schema: { tags, summary: 'The event (series master) with its invitees', params: IdParams, response: { 200: EventSchema, ...answers.signedIn, ...answers.notFound } } },
    async (request, reply) => {
      const owned = await findOwnedEvent(db, request.userId, request.params.id);
      if (!owned) throw notFound();
      return sendEntity(reply, owned.event).send(eventBody(owned.event, owned.owner, OWNER_ACCESS, []));
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
      const ifMatch = readIfMatch(request);
      const result = await db.transaction().execute(async (trx) => {
        const owned = await findOwnedEvent(trx, userId, request.params.id, true);
        if (!owned) throw notFound();
        checkIfMatch(ifMatch, owned.event.version);
        // An empty change is no change: the event is returned as it is, its version not bumped.
        if (Object.keys(change).length === 0) return owned;
        const written = await updateEvent(trx, userId, owned.event, change, { scope, occurrenceStart: occurrence_start });
        return { event: written.created ?? written.event, owner: owned.owner };
      });
      return sendEntity(reply, result.event).send(eventBody(result.event, result.owner, OWNER_ACCESS, []));
    },
  });

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete an event, cancel one occurrence (scope this) or end the series (following); honours If-Match',
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
        const owned = await findOwnedEvent(trx, userId, request.params.id, true);
        if (!owned) throw notFound();
        checkIfMatch(ifMatch, owned.event.version);
        await deleteEvent(trx, owned.event, { scope, occurrenceStart: occurrence_start });
      });
      return reply.code(204).send();
    },
  );
};

export default eventRoutes;
