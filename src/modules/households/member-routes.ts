import { answers } from '../../platform/http/problem.ts';
import { NoContent } from '../../platform/http/schemas.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { listMembers } from './member-queries.ts';
import { requireHousehold } from './resolve.ts';
import { ChangeRoleBody, HouseholdParams, MemberListSchema, MemberParams, MemberSchema } from './schemas.ts';
import { changeRole, removeMember } from './service.ts';

const tags = ['households'];

/** `/api/households/{hid}/members`: who belongs, their roles, transfers, removal and leaving. */
const memberRoutes: ModuleRoutes = async (app) => {
  const db = app.db;

  app.get(
    '/',
    {
      schema: { tags, summary: "The household's members", params: HouseholdParams, response: { 200: MemberListSchema, ...answers.signedIn, ...answers.notFound } },
    },
    async (request) => {
      const { householdId } = await requireHousehold(db, request.userId, request.params.hid, 'read');
      return { items: await listMembers(db, householdId) };
    },
  );

  app.patch(
    '/:user_id',
    {
      schema: {
        tags,
        summary: "Change a member's role (owner, admin); role owner transfers ownership (owner only)",
        params: MemberParams,
        body: ChangeRoleBody,
        response: { 200: MemberSchema, ...answers.signedIn, ...answers.notFound, ...answers.conflict },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        // 'read' finds the actor's role; the role change itself is decided with the target in view.
        const actor = await requireHousehold(trx, request.userId, request.params.hid, 'read', 'update');
        return changeRole(trx, actor, request.params.user_id, request.body.role);
      }),
  );

  app.delete(
    '/:user_id',
    {
      schema: {
        tags,
        summary: 'Remove a member (owner, admin), or leave (yourself; not the owner)',
        params: MemberParams,
        response: { 204: NoContent, ...answers.signedIn, ...answers.notFound, ...answers.conflict },
      },
    },
    async (request, reply) => {
      await db.transaction().execute(async (trx) => {
        const actor = await requireHousehold(trx, request.userId, request.params.hid, 'read', 'update');
        await removeMember(trx, actor, request.params.user_id);
      });
      return reply.code(204).send();
    },
  );
};

export default memberRoutes;
