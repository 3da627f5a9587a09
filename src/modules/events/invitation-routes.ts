import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accessOf } from './access.ts';
import { eventSummary } from './present.ts';
import { answers } from '../../platform/http/problem.ts';
import { listInvitations } from './queries.ts';
import { InvitationList, InvitationsQuery } from './sharing-schemas.ts';

/** The signed-in user's invitations inbox: only their own invitee rows, so no event permission is involved. */
const invitationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['events'],
        summary: 'Events you are invited to, newest invitation first; ?status= filters',
        querystring: InvitationsQuery,
        response: { 200: InvitationList, ...answers.signedIn },
      },
    },
    async (request) => {
      const rows = await listInvitations(app.db, request.userId, request.query.status);
      const items = rows.map((row) => ({
        event: eventSummary(row.event, row.owner, accessOf(row.relation)),
        status: row.status,
        can_modify: row.relation.canModify,
        invited_at: row.invited_at,
      }));
      return { items };
    },
  );
};

export default invitationRoutes;
