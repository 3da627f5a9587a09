import { answers } from '../../platform/http/problem.ts';
import { NoContent } from '../../platform/http/schemas.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { HouseholdParams, requireHousehold } from '../households/index.ts';
import { invitationMail } from './invitation-mail.ts';
import { listInvitations } from './queries.ts';
import { CreateInvitationBody, HouseholdInvitationParams, InvitationListQuery, InvitationPageSchema, InvitationSchema } from './schemas.ts';
import { createInvitation, type InvitationContext, revokeInvitation } from './service.ts';
import { INVITATION_TOKEN_PURPOSE } from './token.ts';

const tags = ['households'];

/** `/api/households/{hid}/invitations`: the household's side (owner, admin). */
const householdInvitationRoutes: ModuleRoutes = async (app, { config }) => {
  const db = app.db;
  const tokenSecret = app.keyring.deriveSecret(INVITATION_TOKEN_PURPOSE);
  const template = invitationMail(tokenSecret, config);
  app.mail.register(template);
  const context: InvitationContext = {
    tokenSecret,
    sendMail: async (trx, recipient, params) => void (await app.mail.enqueue(trx, template, recipient, params)),
  };

  app.post(
    '/:hid/invitations',
    {
      schema: {
        tags,
        summary: 'Invite someone by email (owner, admin); they get a mail with a link valid for 7 days',
        params: HouseholdParams,
        body: CreateInvitationBody,
        response: { 201: InvitationSchema, ...answers.signedIn, ...answers.notFound, ...answers.conflict },
      },
    },
    async (request, reply) => {
      const invitation = await db.transaction().execute(async (trx) => {
        const access = await requireHousehold(trx, request.userId, request.params.hid, 'manage', 'update');
        return createInvitation(trx, context, access, request.body);
      });
      return reply.code(201).send(invitation);
    },
  );

  app.get(
    '/:hid/invitations',
    {
      schema: {
        tags,
        summary: "The household's invitations, newest first (owner, admin); ?status= filters",
        params: HouseholdParams,
        querystring: InvitationListQuery,
        response: { 200: InvitationPageSchema, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request) => {
      const { householdId } = await requireHousehold(db, request.userId, request.params.hid, 'manage');
      return listInvitations(db, householdId, request.query);
    },
  );

  app.delete(
    '/:hid/invitations/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a pending invitation (owner, admin)',
        params: HouseholdInvitationParams,
        response: { 204: NoContent, ...answers.signedIn, ...answers.notFound, ...answers.conflict },
      },
    },
    async (request, reply) => {
      await db.transaction().execute(async (trx) => {
        const access = await requireHousehold(trx, request.userId, request.params.hid, 'manage', 'update');
        await revokeInvitation(trx, access, request.params.id);
      });
      return reply.code(204).send();
    },
  );
};

export default householdInvitationRoutes;
