import type { z } from 'zod';
import { auditRecordChanges } from '../../platform/audit/record-audit.ts';
import { type CrudScope, registerScopedCrudRoutes } from '../../platform/crud/crud-routes.ts';
import { InvalidInputError } from '../../platform/http/errors.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { deleteContact, findContact, insertContact, listContacts, updateContact } from './contact-queries.ts';
import { ContactListQuery, ContactParams, ContactSchema, CreateContactBody, createContactIssues, UpdateContactBody } from './contact-schemas.ts';
import { checkContactValue } from './contact-values.ts';
import type { ItemOwner } from './coverage-queries.ts';
import { resolveItem } from './item-scope.ts';
import { ItemParams } from './item-schemas.ts';

const contactScope: CrudScope<ItemOwner, z.output<typeof ItemParams>, z.output<typeof ContactParams>> = {
  parent: 'Item',
  params: ItemParams,
  itemUrl: '/:contact_id',
  itemParams: ContactParams,
  itemId: (params) => params.contact_id,
  owner: (db, userId, params, purpose) => resolveItem(db, userId, params, purpose, false),
};

/** `/api/households/{hid}/items/{id}/contacts`: phones, emails, URLs and addresses of an item. */
const contactRoutes: ModuleRoutes = async (app) => {
  registerScopedCrudRoutes(
    app,
    {
      name: 'Contact',
      tag: 'vault item contacts',
      schemas: { entity: ContactSchema, create: CreateContactBody, update: UpdateContactBody, list: ContactListQuery },
      list: listContacts,
      find: findContact,
      insert: insertContact,
      update: updateContact,
      remove: deleteContact,
      checkCreate: async (_db, _owner, body) => {
        const issues = createContactIssues(body);
        if (issues.length > 0) throw new InvalidInputError(issues);
      },
      // The value must fit the kind it will have: a new kind re-checks the stored value.
      checkUpdate: async (_db, _owner, current, changes) => {
        if (changes.kind === undefined && changes.value === undefined) return;
        const { issues } = checkContactValue(changes.kind ?? current.kind, changes.value ?? current.value);
        if (issues.length > 0) throw new InvalidInputError(issues);
      },
      onChange: auditRecordChanges('contact', (row) => ({ kind: row.kind, label: row.label })),
    },
    contactScope,
  );
};

export default contactRoutes;
