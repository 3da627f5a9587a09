import { type Kysely, type Selectable, sql } from 'kysely';
import { containsPattern } from '../../platform/crud/filters.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';
import type { DB, Providers } from '../../platform/db/schema.ts';
import type { HouseholdAccess } from '../households/index.ts';
import { type CreateProvider, PROVIDER_KINDS, type ProviderListParams, type UpdateProvider } from './provider-schemas.ts';

type Kind = (typeof PROVIDER_KINDS)[number];
export type ProviderRow = Omit<Selectable<Providers>, 'household_id' | 'kind' | 'search_vector'> & { kind: Kind };

const COLUMNS = ['id', 'name', 'kind', 'website', 'phone', 'email', 'notes', 'version', 'created_at', 'updated_at'] as const;

function isKind(kind: string): kind is Kind {
  return PROVIDER_KINDS.some((known) => known === kind);
}

function providerOf<T extends { kind: string }>(row: T): T & { kind: Kind } {
  if (!isKind(row.kind)) throw new Error(`unknown provider kind ${row.kind}`);
  return { ...row, kind: row.kind };
}

const sorts: SortColumns<ProviderListParams['sort']['field']> = {
  name: { by: sql`lower(name)` },
  created_at: { by: sql.ref('created_at') },
};

// Must match the expression of the trigram index providers_text_trgm (0013).
const searchable = sql<string>`(name || ' ' || coalesce(website, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(notes, ''))`;

const providersOf = (db: Kysely<DB>, access: HouseholdAccess) => db.selectFrom('providers').where('household_id', '=', access.householdId);

export async function listProviders(db: Kysely<DB>, access: HouseholdAccess, params: ProviderListParams): Promise<Page<ProviderRow>> {
  let query = providersOf(db, access);
  if (params.kind) query = query.where('kind', '=', params.kind);
  if (params.q) query = query.where(searchable, 'ilike', containsPattern(params.q));
  const page = await paginate(query, (q) => q.select(COLUMNS), sql.ref('id'), sorts, params);
  return { ...page, items: page.items.map(providerOf) };
}

export async function findProvider(db: Kysely<DB>, access: HouseholdAccess, id: string): Promise<ProviderRow | undefined> {
  const row = await providersOf(db, access).select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && providerOf(row);
}

export async function insertProvider(db: Kysely<DB>, access: HouseholdAccess, values: CreateProvider): Promise<ProviderRow> {
  return providerOf(await db.insertInto('providers').values({ ...values, household_id: access.householdId }).returning(COLUMNS).executeTakeFirstOrThrow());
}

export async function updateProvider(db: Kysely<DB>, access: HouseholdAccess, id: string, changes: UpdateProvider, versions?: number[]) {
  let query = db.updateTable('providers').set(changes).where('id', '=', id).where('household_id', '=', access.householdId);
  if (versions) query = query.where('version', 'in', versions);
  const row = await query.returning(COLUMNS).executeTakeFirst();
  return row && providerOf(row);
}

export async function deleteProvider(db: Kysely<DB>, access: HouseholdAccess, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('providers').where('id', '=', id).where('household_id', '=', access.householdId);
  if (versions) query = query.where('version', 'in', versions);
  return (await query.executeTakeFirst()).numDeletedRows > 0n;
}
