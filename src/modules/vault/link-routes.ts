import { sql } from 'kysely';
import { recordHouseholdAudit } from '../../platform/audit/record-audit.ts';
import { ConflictError, invalidField, NotFoundError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';
import { NoContent } from '../../platform/http/schemas.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { requireHousehold } from '../households/index.ts';
import { listItemsWhere } from './item-queries.ts';
import { presentListItem } from './item-present.ts';
import { ItemParams } from './item-schemas.ts';
import { deleteLink, insertLink, itemExists, linkExists, lockHouseholdLinks, reaches } from './link-queries.ts';
import { CreateLinkBody, LinkParams, LinkSchema, LinksSchema } from './link-schemas.ts';

const tags = ['vault items'];

/** `/api/households/{hid}/items/{id}/links`: parent -> child links, without self-links or cycles. */
const linkRoutes: ModuleRoutes = async (app) => {
  const db = app.db;

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: "The item's parents and children (list form)",
        params: ItemParams,
        response: { 200: LinksSchema, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request) => {
      const { householdId } = await requireHousehold(db, request.userId, request.params.hid, 'read');
      const id = request.params.id;
      if (!(await itemExists(db, householdId, id))) throw new NotFoundError('Item not found');
      const [parents, children] = await Promise.all([
        listItemsWhere(db, householdId, sql`items.id in (select parent_id from item_links where child_id = ${id} and household_id = ${householdId})`),
        listItemsWhere(db, householdId, sql`items.id in (select child_id from item_links where parent_id = ${id} and household_id = ${householdId})`),
      ]);
      return { parents: await Promise.all(parents.map(presentListItem)), children: await Promise.all(children.map(presentListItem)) };
    },
  );

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Link a child item to this one (no self-link: 400; duplicate: 409; a cycle: 400)',
        params: ItemParams,
        body: CreateLinkBody,
        response: { 201: LinkSchema, ...answers.signedIn, ...answers.notFound, ...answers.conflict },
      },
    },
    async (request, reply) => {
      const { id: parentId } = request.params;
      const childId = request.body.child_id;
      await db.transaction().execute(async (trx) => {
        const access = await requireHousehold(trx, request.userId, request.params.hid, 'write', 'share');
        const { householdId } = access;
        if (!(await itemExists(trx, householdId, parentId))) throw new NotFoundError('Item not found');
        if (childId === parentId) throw invalidField('child_id', 'An item cannot link to itself');
        if (!(await itemExists(trx, householdId, childId))) throw invalidField('child_id', 'Not an item of this household');
        // Under the lock, the links read below are every link of the household there will be
        // until this transaction commits: the cycle check cannot race another link.
        await lockHouseholdLinks(trx, householdId);
        if (await linkExists(trx, householdId, parentId, childId)) throw new ConflictError('These items are linked already');
        if (await reaches(trx, householdId, childId, parentId)) throw invalidField('child_id', 'The link would make a cycle: the child already leads back to this item');
        await insertLink(trx, householdId, parentId, childId);
        await recordHouseholdAudit(trx, {
          householdId,
          actorId: access.userId,
          action: 'link.created',
          target: { type: 'item', id: parentId },
          details: { parent_id: parentId, child_id: childId },
        });
      });
      return reply.code(201).send({ parent_id: parentId, child_id: childId });
    },
  );

  app.delete(
    '/:child_id',
    {
      schema: { tags, summary: 'Remove a link to a child', params: LinkParams, response: { 204: NoContent, ...answers.signedIn, ...answers.notFound } },
    },
    async (request, reply) => {
      const { id: parentId, child_id: childId } = request.params;
      await db.transaction().execute(async (trx) => {
        const access = await requireHousehold(trx, request.userId, request.params.hid, 'write', 'share');
        if (!(await deleteLink(trx, access.householdId, parentId, childId))) throw new NotFoundError('Link not found');
        await recordHouseholdAudit(trx, {
          householdId: access.householdId,
          actorId: access.userId,
          action: 'link.deleted',
          target: { type: 'item', id: parentId },
          details: { parent_id: parentId, child_id: childId },
        });
      });
      return reply.code(204).send();
    },
  );
};

export default linkRoutes;
