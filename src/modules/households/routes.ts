import { answers } from '../../platform/http/problem.ts';
import { readIfMatch } from '../../platform/http/etag.ts';
import { NoContent } from '../../platform/http/schemas.ts';
import { pageOf } from '../../platform/crud/list-schemas.ts';
import { sendEntity, versionedWrite } from '../../platform/crud/crud-routes.ts';
import { recordHouseholdAudit } from '../../platform/audit/record-audit.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import memberRoutes from './member-routes.ts';
import { reassignActiveHouseholds } from './member-queries.ts';
import { deleteHousehold, findHousehold, findHouseholdVersion, listHouseholds, listMemberIds, renameHousehold } from './queries.ts';
import { requireHousehold } from './resolve.ts';
import { CreateHouseholdBody, HouseholdListQuery, HouseholdParams, HouseholdSchema, UpdateHouseholdBody } from './schemas.ts';
import { createHousehold } from './service.ts';

const tags = ['households'];

const householdRoutes: ModuleRoutes = async (app, options) => {
  const db = app.db;
  const newServerKey = (householdId: string) => app.keyring.newHouseholdKey(householdId).wrapped;

  app.get(
    '/',
    {
      schema: { tags, summary: 'The households you belong to', querystring: HouseholdListQuery, response: { 200: pageOf(HouseholdSchema), ...answers.signedIn } },
    },
    async (request) => listHouseholds(db, request.userId, request.query),
  );

  app.post(
    '/',
    {
      schema: { tags, summary: 'Create a household; you are its owner', body: CreateHouseholdBody, response: { 201: HouseholdSchema, ...answers.signedIn } },
    },
    async (request, reply) => {
      const household = await db.transaction().execute((trx) => createHousehold(trx, newServerKey, request.userId, request.body.name));
      return sendEntity(reply, household, 201).send(household);
    },
  );

  app.get(
    '/:hid',
    {
      schema: { tags, summary: 'One of your households', params: HouseholdParams, response: { 200: HouseholdSchema, ...answers.signedIn, ...answers.notFound } },
    },
    async (request, reply) => {
      const { householdId, userId } = await requireHousehold(db, request.userId, request.params.hid, 'read');
      const household = await findHousehold(db, userId, householdId);
      if (!household) throw new Error('a household the resolver found is not readable');
      return sendEntity(reply, household).send(household);
    },
  );

  app.route({
    method: ['PUT', 'PATCH'],
    url: '/:hid',
    schema: {
      tags,
      summary: 'Rename a household (owner, admin; honours If-Match)',
      params: HouseholdParams,
      body: UpdateHouseholdBody,
      response: { 200: HouseholdSchema, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed },
    },
    handler: async (request, reply) => {
      const ifMatch = readIfMatch(request);
      const household = await db.transaction().execute(async (trx) => {
        const access = await requireHousehold(trx, request.userId, request.params.hid, 'manage', 'update');
        const current = await findHousehold(trx, access.userId, access.householdId);
        const name = request.body.name;
        const changed = name !== undefined && name !== current?.name;
        await versionedWrite(
          'Household',
          ifMatch,
          async (versions) => (changed ? renameHousehold(trx, access.householdId, name, versions) : !versions || versions.includes(current?.version ?? 0)),
          () => findHouseholdVersion(trx, access.householdId),
        );
        if (changed) {
          await recordHouseholdAudit(trx, {
            householdId: access.householdId,
            actorId: access.userId,
            action: 'household.renamed',
            target: { type: 'household', id: access.householdId },
            details: { from: current?.name ?? null, to: name },
          });
        }
        return findHousehold(trx, access.userId, access.householdId);
      });
      if (!household) throw new Error('a household just renamed is not readable');
      return sendEntity(reply, household).send(household);
    },
  });

  app.delete(
    '/:hid',
    {
      schema: {
        tags,
        summary: 'Delete a household and everything in it (owner; honours If-Match)',
        params: HouseholdParams,
        response: { 204: NoContent, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed },
      },
    },
    async (request, reply) => {
      const ifMatch = readIfMatch(request);
      await db.transaction().execute(async (trx) => {
        const access = await requireHousehold(trx, request.userId, request.params.hid, 'own', 'update');
        const members = await listMemberIds(trx, access.householdId);
        await versionedWrite(
          'Household',
          ifMatch,
          (versions) => deleteHousehold(trx, access.householdId, versions),
          () => findHouseholdVersion(trx, access.householdId),
        );
        await reassignActiveHouseholds(trx, members);
      });
      return reply.code(204).send();
    },
  );

  await app.register(memberRoutes, { ...options, prefix: '/:hid/members' });
};

export default householdRoutes;
