import { type Kysely, type Selectable, sql } from 'kysely';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';
import type { DB, ItemContacts } from '../../platform/db/schema.ts';
import { invalidField } from '../../platform/http/errors.ts';
import type { ContactListParams, CreateContact, UpdateContact } from './contact-schemas.ts';
import { CONTACT_KINDS, type ContactKind, checkContactValue } from './contact-values.ts';
import type { ItemOwner } from './coverage-queries.ts';

// Contacts on one item, scoped by household and item in SQL.

export type ContactRow = Omit<Selectable<ItemContacts>, 'household_id' | 'item_id' | 'kind'> & { kind: ContactKind };

const COLUMNS = ['id', 'kind', 'label', 'value', 'version', 'created_at', 'updated_at'] as const;

function isKind(kind: string): kind is ContactKind {
  return CONTACT_KINDS.some((known) => known === kind);
}

function contactOf(row: Pick<Selectable<ItemContacts>, (typeof COLUMNS)[number]>): ContactRow {
  if (!isKind(row.kind)) throw new Error(`unknown contact kind ${row.kind}`);
  return { ...row, kind: row.kind };
}

const sorts: SortColumns<ContactListParams['sort']['field']> = {
  created_at: { by: sql.ref('created_at') },
  label: { by: sql`lower(coalesce(label, ''))` },
  kind: { by: sql.ref('kind') },
};

const contactsOf = (db: Kysely<DB>, owner: ItemOwner) =>
  db.selectFrom('item_contacts').where('household_id', '=', owner.householdId).where('item_id', '=', owner.itemId);

export async function listContacts(db: Kysely<DB>, owner: ItemOwner, params: ContactListParams): Promise<Page<ContactRow>> {
  let query = contactsOf(db, owner);
  if (params.kind) query = query.where('kind', '=', params.kind);
  const page = await paginate(query, (q) => q.select(COLUMNS), sql.ref('id'), sorts, params);
  return { ...page, items: page.items.map(contactOf) };
}

export async function findContact(db: Kysely<DB>, owner: ItemOwner, id: string): Promise<ContactRow | undefined> {
  const row = await contactsOf(db, owner).select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && contactOf(row);
}

/** What to store: the body's own values, or a copy of a saved contact of the same household. */
async function contactValues(db: Kysely<DB>, owner: ItemOwner, body: CreateContact) {
  if (body.saved_contact_id !== undefined) {
    const saved = await db
      .selectFrom('saved_contacts')
      .select(['kind', 'label', 'value'])
      .where('id', '=', body.saved_contact_id)
      .where('household_id', '=', owner.householdId)
      .executeTakeFirst();
    if (!saved) throw invalidField('saved_contact_id', 'Not a saved contact of this household');
    return saved;
  }
  if (body.kind === undefined || body.value === undefined) throw invalidField('kind', 'Required (or send saved_contact_id)');
  return { kind: body.kind, label: body.label ?? null, value: checkContactValue(body.kind, body.value).value };
}

export async function insertContact(db: Kysely<DB>, owner: ItemOwner, body: CreateContact): Promise<ContactRow> {
  const values = await contactValues(db, owner, body);
  const row = await db
    .insertInto('item_contacts')
    .values({ ...values, household_id: owner.householdId, item_id: owner.itemId })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return contactOf(row);
}

export async function updateContact(db: Kysely<DB>, owner: ItemOwner, id: string, changes: UpdateContact, versions?: number[]) {
  let query = db
    .updateTable('item_contacts')
    .set(changes)
    .where('id', '=', id)
    .where('household_id', '=', owner.householdId)
    .where('item_id', '=', owner.itemId);
  if (versions) query = query.where('version', 'in', versions);
  const row = await query.returning(COLUMNS).executeTakeFirst();
  return row && contactOf(row);
}

export async function deleteContact(db: Kysely<DB>, owner: ItemOwner, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('item_contacts').where('id', '=', id).where('household_id', '=', owner.householdId).where('item_id', '=', owner.itemId);
  if (versions) query = query.where('version', 'in', versions);
  return (await query.executeTakeFirst()).numDeletedRows > 0n;
}
