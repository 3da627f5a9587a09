import { findUserToday } from '../../platform/crud/filters.ts';
import { pageOf } from '../../platform/crud/list-schemas.ts';
import { sendEntity } from '../../platform/crud/crud-routes.ts';
import { readIfMatch } from '../../platform/http/etag.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { answers } from '../../platform/http/problem.ts';
import { NoContent } from '../../platform/http/schemas.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { HouseholdParams, requireHousehold } from '../households/index.ts';
import { findItem, type ItemRow, listItems } from './item-queries.ts';
import { presentItem, presentListItem, valueCrypto } from './item-present.ts';
import { CreateItemBody, ItemDetailSchema, ItemListQuery, ItemParams, ItemSchema, PatchItemBody, ReplaceItemBody } from './item-schemas.ts';
import { createItem, type ItemWrite, patchItem, removeItem, replaceItem } from './item-service.ts';

const tags = ['vault items'];

/** `/api/households/{hid}/items`: the vault's items with their typed fields. */
const itemRoutes: ModuleRoutes = async (app) => {
  const db = app.db;

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: "The household's items (list form: no sensitive values)",
        params: HouseholdParams,
        querystring: ItemListQuery,
        response: { 200: pageOf(ItemSchema), ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request) => {
      const { householdId, userId } = await requireHousehold(db, request.userId, request.params.hid, 'read');
      const today = await findUserToday(db, userId);
      const page = await listItems(db, householdId, request.query, today);
      return { ...page, items: await Promise.all(page.items.map(presentListItem)) };
    },
  );

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Create an item; `fields` are validated against its category and subcategory',
        params: HouseholdParams,
        body: CreateItemBody,
        response: { 201: ItemDetailSchema, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request, reply) => {
      const item = await db.transaction().execute(async (trx) => {
        const access = await requireHousehold(trx, request.userId, request.params.hid, 'write', 'share');
        const write: ItemWrite = { db: trx, access, crypto: valueCrypto(trx, app.keyring, access.householdId) };
        return presentItem(trx, write.crypto, await createItem(write, request.body));
      });
      return sendEntity(reply, item, 201).send(item);
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'One item, with its sensitive values and (insurance) its coverage',
        params: ItemParams,
        response: { 200: ItemDetailSchema, ...answers.signedIn, ...answers.notFound },
      },
    },
    async (request, reply) => {
      const { householdId } = await requireHousehold(db, request.userId, request.params.hid, 'read');
      const row = await findItem(db, householdId, request.params.id);
      if (!row) throw new NotFoundError('Item not found');
      const item = await presentItem(db, valueCrypto(db, app.keyring, householdId), row);
      return sendEntity(reply, item).send(item);
    },
  );

  /** A change of one item inside its transaction, answered in the form of one item. */
  const changeItem = async (userId: string, hid: string, run: (write: ItemWrite) => Promise<ItemRow>) =>
    db.transaction().execute(async (trx) => {
      const access = await requireHousehold(trx, userId, hid, 'write', 'share');
      const write: ItemWrite = { db: trx, access, crypto: valueCrypto(trx, app.keyring, access.householdId) };
      return presentItem(trx, write.crypto, await run(write));
    });
  const changeResponses = { 200: ItemDetailSchema, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed, ...answers.conflict };

  app.put(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Change an item: `fields`, when sent, replace the stored fields whole; category/subcategory may change (honours If-Match)',
        params: ItemParams,
        body: ReplaceItemBody,
        response: changeResponses,
      },
    },
    async (request, reply) => {
      const ifMatch = readIfMatch(request);
      const item = await changeItem(request.userId, request.params.hid, (write) => replaceItem(write, request.params.id, request.body, ifMatch));
      return sendEntity(reply, item).send(item);
    },
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Change an item: `fields` merge (null removes a key); category/subcategory change only with PUT (honours If-Match)',
        params: ItemParams,
        body: PatchItemBody,
        response: changeResponses,
      },
    },
    async (request, reply) => {
      const ifMatch = readIfMatch(request);
      const item = await changeItem(request.userId, request.params.hid, (write) => patchItem(write, request.params.id, request.body, ifMatch));
      return sendEntity(reply, item).send(item);
    },
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete an item with its contacts, coverage and links (honours If-Match)',
        params: ItemParams,
        response: { 204: NoContent, ...answers.signedIn, ...answers.notFound, ...answers.preconditionFailed },
      },
    },
    async (request, reply) => {
      const ifMatch = readIfMatch(request);
      await db.transaction().execute(async (trx) => {
        const access = await requireHousehold(trx, request.userId, request.params.hid, 'write', 'share');
        await removeItem({ db: trx, access, crypto: valueCrypto(trx, app.keyring, access.householdId) }, request.params.id, ifMatch);
      });
      return reply.code(204).send();
    },
  );
};

export default itemRoutes;
