import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authorize } from './access.ts';
import { addInvitee, removeInvitee, respond, toggleInvitee } from './sharing.ts';
import { answers } from '../../platform/http/problem.ts';
import { listHistory } from './history-queries.ts';
import { listInvitees } from './invitee-queries.ts';
import { IdParams, NoContent } from '../../platform/http/schemas.ts';
import { InviteeSchema } from './schemas.ts';
import { AddInviteeBody, HistoryItem, HistoryList, InviteeList, InviteeParams, RespondBody, ToggleInviteeBody } from './sharing-schemas.ts';

const tags = ['events'];

/** Which of the owner's calendars and saved locations an event uses stays the owner's business, in the history too. */
const OWNER_PRIVATE = new Set(['calendar_id', 'location_id']);
function visibleChanges(changes: HistoryItem['changes'], isOwner: boolean): HistoryItem['changes'] {
  return isOwner ? changes : Object.fromEntries(Object.entries(changes).filter(([field]) => !OWNER_PRIVATE.has(field)));
}
const refusals = { ...answers.signedIn, ...answers.notFound };

/** Invitees, responses and history under /api/events/{id}; each route asks the permission helper first. */
const eventSharingRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.db;

  app.get(
    '/:id/invitees',
    { schema: { tags, summary: 'The invitees (owner and invitees)', params: IdParams, response: { 200: InviteeList, ...refusals } } },
    async (request) => {
      const found = await authorize(db, request.userId, request.params.id, { kind: 'view' });
      return { items: await listInvitees(db, found.event.id) };
    },
  );

  app.post(
    '/:id/invitees',
    {
      schema: {
        tags,
        summary: 'Invite a user by email (owner)',
        params: IdParams,
        body: AddInviteeBody,
        response: { 201: InviteeSchema, ...refusals, ...answers.conflict },
      },
    },
    async (request, reply) => {
      const { userId } = request;
      const invitee = await db.transaction().execute(async (trx) => {
        const found = await authorize(trx, userId, request.params.id, { kind: 'manage_invitees' }, true);
        return addInvitee({ trx, actorId: userId, eventId: found.event.id, ownerId: found.owner.id }, request.body.email, request.body.can_modify);
      });
      return reply.code(201).send(invitee);
    },
  );

  app.patch(
    '/:id/invitees/:user_id',
    {
      schema: {
        tags,
        summary: "Toggle an invitee's edit right (owner)",
        params: InviteeParams,
        body: ToggleInviteeBody,
        response: { 200: InviteeSchema, ...refusals, ...answers.conflict },
      },
    },
    async (request) => {
      const { userId } = request;
      return db.transaction().execute(async (trx) => {
        const found = await authorize(trx, userId, request.params.id, { kind: 'manage_invitees' }, true);
        return toggleInvitee({ trx, actorId: userId, eventId: found.event.id, ownerId: found.owner.id }, request.params.user_id, request.body.can_modify);
      });
    },
  );

  app.delete(
    '/:id/invitees/:user_id',
    {
      schema: {
        tags,
        summary: 'Remove an invitee (owner), or leave the event (an invitee, for their own row)',
        params: InviteeParams,
        response: { 204: NoContent, ...refusals },
      },
    },
    async (request, reply) => {
      const { userId } = request;
      const { id, user_id } = request.params;
      await db.transaction().execute(async (trx) => {
        // Leaving is not managing invitees: it is always allowed for one's own row.
        const found = await authorize(trx, userId, id, user_id === userId ? { kind: 'leave' } : { kind: 'manage_invitees' }, true);
        await removeInvitee({ trx, actorId: userId, eventId: found.event.id, ownerId: found.owner.id }, user_id);
      });
      return reply.code(204).send();
    },
  );

  app.post(
    '/:id/respond',
    {
      schema: {
        tags,
        summary: 'Accept, decline or tentatively accept (invitees); declining takes away the edit right',
        params: IdParams,
        body: RespondBody,
        response: { 200: InviteeSchema, ...refusals },
      },
    },
    async (request) => {
      const { userId } = request;
      return db.transaction().execute(async (trx) => {
        const found = await authorize(trx, userId, request.params.id, { kind: 'respond' }, true);
        return respond({ trx, actorId: userId, eventId: found.event.id, ownerId: found.owner.id }, request.body.status);
      });
    },
  );

  app.get(
    '/:id/history',
    { schema: { tags, summary: 'Every change, newest first (owner and invitees)', params: IdParams, response: { 200: HistoryList, ...refusals } } },
    async (request) => {
      const found = await authorize(db, request.userId, request.params.id, { kind: 'view' });
      const rows = await listHistory(db, found.event.id);
      const isOwner = found.access.role === 'owner';
      const items: HistoryItem[] = rows.map((row) => ({
        id: row.id,
        actor: row.actor_id && row.actor_name ? { id: row.actor_id, display_name: row.actor_name } : null,
        action: row.action,
        changes: visibleChanges(HistoryItem.shape.changes.parse(row.changes), isOwner),
        scope: row.scope === 'this' || row.scope === 'all' ? row.scope : null,
        occurrence_start: row.occurrence_start,
        invitee: row.invitee_id && row.invitee_name ? { id: row.invitee_id, display_name: row.invitee_name } : null,
        at: row.at,
      }));
      return { items };
    },
  );
};

export default eventSharingRoutes;
