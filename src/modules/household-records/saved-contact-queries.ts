import { type Kysely, type Selectable, sql } from 'kysely';
import { containsPattern } from '../../platform/crud/filters.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';
import type { DB, SavedContacts } from '../../platform/db/schema.ts';
import type { HouseholdAccess } from '../households/index.ts';
import { CONTACT_KINDS, checkContactValue, type ContactKind } from '../vault/index.ts';
import type { CreateSavedContact, SavedContactListParams, UpdateSavedContact } from './saved-contact-schemas.ts';

export type SavedContactRow = Omit<Selectable<SavedContacts>, 'household_id' | 'kind' | 'search_vector'> & { kind: ContactKind };

const COLUMNS = ['id', 'name', 'kind', 'label', 'value', 'country', 'version', 'created_at', 'updated_at'] as const;

function isKind(kind: string): kind is ContactKind {
  return CONTACT_KINDS.some((known) => known === kind);
}

function contactOf<T extends { kind: string }>(row: T): T & { kind: ContactKind } {
  if (!isKind(row.kind)) throw new Error(`unknown contact kind ${row.kind}`);
  return { ...row, kind: row.kind };
}

const sorts: SortColumns<SavedContactListParams['sort']['field']> = {
  name: { by: sql`lower(name)` },
  created_at: { by: sql.ref('created_at') },
};

// Must match the expression of the trigram index saved_contacts_text_trgm (0013).
const searchable = sql<string>`(name || ' ' || coalesce(label, '') || ' ' || value)`;

const savedOf = (db: Kysely<DB>, access: HouseholdAccess) => db.selectFrom('saved_contacts').where('household_id', '=', access.householdId);

export async function listSavedContacts(db: Kysely<DB>, access: HouseholdAccess, params: SavedContactListParams): Promise<Page<SavedContactRow>> {
  let query = savedOf(db, access);
  if (params.kind) query = query.where('kind', '=', params.kind);
  if (params.country) query = query.where('country', '=', params.country);
  if (params.q) query = query.where(searchable, 'ilike', containsPattern(params.q));
  const page = await paginate(query, (q) => q.select(COLUMNS), sql.ref('id'), sorts, params);
  return { ...page, items: page.items.map(contactOf) };
}

export async function findSavedContact(db: Kysely<DB>, access: HouseholdAccess, id: string): Promise<SavedContactRow | undefined> {
  const row = await savedOf(db, access).select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && contactOf(row);
}

export async function insertSavedContact(db: Kysely<DB>, access: HouseholdAccess, values: CreateSavedContact): Promise<SavedContactRow> {
  const value = checkContactValue(values.kind, values.value).value;
  const row = await db.insertInto('saved_contacts').values({ ...values, value, household_id: access.householdId }).returning(COLUMNS).executeTakeFirstOrThrow();
  return contactOf(row);
}

export async function updateSavedContact(db: Kysely<DB>, access: HouseholdAccess, id: string, changes: UpdateSavedContact, versions?: number[]) {
  let query = db.updateTable('saved_contacts').set(changes).where('id', '=', id).where('household_id', '=', access.householdId);
  if (versions) query = query.where('version', 'in', versions);
  const row = await query.returning(COLUMNS).executeTakeFirst();
  return row && contactOf(row);
}

export async function deleteSavedContact(db: Kysely<DB>, access: HouseholdAccess, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('saved_contacts').where('id', '=', id).where('household_id', '=', access.householdId);
  if (versions) query = query.where('version', 'in', versions);
  return (await query.executeTakeFirst()).numDeletedRows > 0n;
}
