import { answers } from '../../platform/http/problem.ts';
import { IdParams, NoContent } from '../../platform/http/schemas.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { HouseholdSchema } from '../households/index.ts';
import { listInbox } from './invitee-queries.ts';
import { AcceptByTokenBody, InboxSchema } from './schemas.ts';
import { acceptInvitation, declineInvitation } from './service.ts';

const tags = ['households'];

/** `/api/household-invitations`: the invitee's side, invitations addressed to your email. */
const invitationInboxRoutes: ModuleRoutes = async (app) => {
  const db = app.db;

  app.get(
    '/',
    {
      schema: { tags, summary: 'Pending invitations to your email, soonest to expire first', response: { 200: InboxSchema, ...answers.signedIn } },
    },
    async (request) => ({ items: await listInbox(db, request.userId) }),
  );

  app.post(
    '/accept',
    {
      schema: {
        tags,
        summary: "Accept with the token of the email's link; the invitation must be addressed to your email",
        body: AcceptByTokenBody,
        response: { 200: HouseholdSchema, ...answers.signedIn, ...answers.notFound, ...answers.conflict },
      },
    },
    async (request) => db.transaction().execute((trx) => acceptInvitation(trx, request.userId, { token: request.body.token })),
  );

  app.post(
    '/:id/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation to your email; you join with its role',
        params: IdParams,
        response: { 200: HouseholdSchema, ...answers.signedIn, ...answers.notFound, ...answers.conflict },
      },
    },
    async (request) => db.transaction().execute((trx) => acceptInvitation(trx, request.userId, { id: request.params.id })),
  );

  app.post(
    '/:id/decline',
    {
      schema: { tags, summary: 'Decline an invitation to your email', params: IdParams, response: { 204: NoContent, ...answers.signedIn, ...answers.notFound } },
    },
    async (request, reply) => {
      await db.transaction().execute((trx) => declineInvitation(trx, request.userId, request.params.id));
      return reply.code(204).send();
    },
  );
};

export default invitationInboxRoutes;
