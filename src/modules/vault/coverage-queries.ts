import { type Kysely, type Selectable, sql } from 'kysely';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';
import type { DB, ItemCoverage, ItemCoverageLimits } from '../../platform/db/schema.ts';
import type {
  CoverageListParams,
  CreateCoverage,
  CreateLimit,
  LIMIT_KINDS,
  LimitListParams,
  UpdateCoverage,
  UpdateLimit,
} from './coverage-schemas.ts';
import type { MoneyValue } from './field-types.ts';

// Coverage rows and plan limits of one item, scoped by household and item in SQL. Money is two
// columns (amount, currency); a limit's `used` shares the limit's currency column.

/** The item a coverage route works on, as its scope resolved it. */
export type ItemOwner = { householdId: string; itemId: string; userId: string };

const money = (amount: string | null, currency: string | null): MoneyValue | null =>
  amount !== null && currency !== null ? { amount, currency } : null;

const moneyColumns = (prefix: 'limit' | 'deductible', value: MoneyValue | null | undefined) =>
  value === undefined ? {} : { [`${prefix}_amount`]: value?.amount ?? null, [`${prefix}_currency`]: value?.currency ?? null };

export type CoverageRow = {
  id: string;
  name: string;
  limit: MoneyValue | null;
  deductible: MoneyValue | null;
  notes: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
};

function coverageOf(row: Selectable<ItemCoverage>): CoverageRow {
  return {
    id: row.id,
    name: row.name,
    limit: money(row.limit_amount, row.limit_currency),
    deductible: money(row.deductible_amount, row.deductible_currency),
    notes: row.notes,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const coverageSorts: SortColumns<CoverageListParams['sort']['field']> = {
  name: { by: sql`lower(name)` },
  created_at: { by: sql.ref('created_at') },
};

type OfItem = Pick<ItemOwner, 'householdId' | 'itemId'>;

const coverageOfItem = (db: Kysely<DB>, owner: OfItem) =>
  db.selectFrom('item_coverage').where('household_id', '=', owner.householdId).where('item_id', '=', owner.itemId);

export async function listCoverage(db: Kysely<DB>, owner: ItemOwner, params: CoverageListParams): Promise<Page<CoverageRow>> {
  const page = await paginate(coverageOfItem(db, owner), (q) => q.selectAll(), sql.ref('id'), coverageSorts, params);
  return { ...page, items: page.items.map(coverageOf) };
}

export async function findCoverage(db: Kysely<DB>, owner: ItemOwner, id: string): Promise<CoverageRow | undefined> {
  const row = await coverageOfItem(db, owner).selectAll().where('id', '=', id).executeTakeFirst();
  return row && coverageOf(row);
}

export async function insertCoverage(db: Kysely<DB>, owner: ItemOwner, values: CreateCoverage): Promise<CoverageRow> {
  const row = await db
    .insertInto('item_coverage')
    .values({
      household_id: owner.householdId,
      item_id: owner.itemId,
      name: values.name,
      notes: values.notes ?? null,
      ...moneyColumns('limit', values.limit),
      ...moneyColumns('deductible', values.deductible),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return coverageOf(row);
}

export async function updateCoverage(db: Kysely<DB>, owner: ItemOwner, id: string, changes: UpdateCoverage, versions?: number[]) {
  const { limit, deductible, ...plain } = changes;
  let query = db
    .updateTable('item_coverage')
    .set({ ...plain, ...moneyColumns('limit', limit), ...moneyColumns('deductible', deductible) })
    .where('id', '=', id)
    .where('household_id', '=', owner.householdId)
    .where('item_id', '=', owner.itemId);
  if (versions) query = query.where('version', 'in', versions);
  const row = await query.returningAll().executeTakeFirst();
  return row && coverageOf(row);
}

export async function deleteCoverage(db: Kysely<DB>, owner: ItemOwner, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('item_coverage').where('id', '=', id).where('household_id', '=', owner.householdId).where('item_id', '=', owner.itemId);
  if (versions) query = query.where('version', 'in', versions);
  return (await query.executeTakeFirst()).numDeletedRows > 0n;
}

export type LimitRow = {
  id: string;
  kind: (typeof LIMIT_KINDS)[number];
  amount: MoneyValue;
  used: MoneyValue | null;
  period_start: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
};

function isLimitKind(kind: string): kind is LimitRow['kind'] {
  return ['annual_max', 'out_of_pocket_max', 'per_incident', 'lifetime_max'].includes(kind);
}

function limitOf(row: Selectable<ItemCoverageLimits>): LimitRow {
  if (!isLimitKind(row.kind)) throw new Error(`unknown coverage limit kind ${row.kind}`);
  return {
    id: row.id,
    kind: row.kind,
    amount: { amount: row.amount, currency: row.currency },
    used: money(row.used_amount, row.currency),
    period_start: row.period_start,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const limitSorts: SortColumns<LimitListParams['sort']['field']> = {
  created_at: { by: sql.ref('created_at') },
  // The contract's order of kinds, not the alphabet.
  kind: { by: sql`array_position(array['annual_max','out_of_pocket_max','per_incident','lifetime_max'], kind)` },
};

const limitsOfItem = (db: Kysely<DB>, owner: OfItem) =>
  db.selectFrom('item_coverage_limits').where('household_id', '=', owner.householdId).where('item_id', '=', owner.itemId);

export async function listLimits(db: Kysely<DB>, owner: ItemOwner, params: LimitListParams): Promise<Page<LimitRow>> {
  let query = limitsOfItem(db, owner);
  if (params.kind) query = query.where('kind', '=', params.kind);
  const page = await paginate(query, (q) => q.selectAll(), sql.ref('id'), limitSorts, params);
  return { ...page, items: page.items.map(limitOf) };
}

export async function findLimit(db: Kysely<DB>, owner: ItemOwner, id: string): Promise<LimitRow | undefined> {
  const row = await limitsOfItem(db, owner).selectAll().where('id', '=', id).executeTakeFirst();
  return row && limitOf(row);
}

export async function insertLimit(db: Kysely<DB>, owner: ItemOwner, values: CreateLimit): Promise<LimitRow> {
  const row = await db
    .insertInto('item_coverage_limits')
    .values({
      household_id: owner.householdId,
      item_id: owner.itemId,
      kind: values.kind,
      amount: values.amount.amount,
      currency: values.amount.currency,
      used_amount: values.used?.amount ?? null,
      period_start: values.period_start ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return limitOf(row);
}

export async function updateLimit(db: Kysely<DB>, owner: ItemOwner, id: string, changes: UpdateLimit, versions?: number[]) {
  const { amount, used, ...plain } = changes;
  let query = db
    .updateTable('item_coverage_limits')
    .set({
      ...plain,
      ...(amount ? { amount: amount.amount, currency: amount.currency } : {}),
      ...(used === undefined ? {} : { used_amount: used?.amount ?? null }),
    })
    .where('id', '=', id)
    .where('household_id', '=', owner.householdId)
    .where('item_id', '=', owner.itemId);
  if (versions) query = query.where('version', 'in', versions);
  const row = await query.returningAll().executeTakeFirst();
  return row && limitOf(row);
}

export async function deleteLimit(db: Kysely<DB>, owner: ItemOwner, id: string, versions?: number[]): Promise<boolean> {
  let query = db
    .deleteFrom('item_coverage_limits')
    .where('id', '=', id)
    .where('household_id', '=', owner.householdId)
    .where('item_id', '=', owner.itemId);
  if (versions) query = query.where('version', 'in', versions);
  return (await query.executeTakeFirst()).numDeletedRows > 0n;
}

/** Everything an insurance item's GET shows: all its coverage rows and limits. */
export async function listCoverageSummary(db: Kysely<DB>, householdId: string, itemId: string) {
  const owner = { householdId, itemId };
  const [rows, limits] = await Promise.all([
    coverageOfItem(db, owner).selectAll().orderBy(sql`lower(name)`).orderBy('id').execute(),
    limitsOfItem(db, owner).selectAll().orderBy('created_at').orderBy('id').execute(),
  ]);
  return { rows: rows.map(coverageOf), limits: limits.map(limitOf) };
}

/** How many coverage rows and limits an item has (changing it away from insurance needs none). */
export async function countCoverage(db: Kysely<DB>, householdId: string, itemId: string): Promise<number> {
  const row = await db
    .selectNoFrom([
      sql<number>`(select count(*)::int from item_coverage where household_id = ${householdId} and item_id = ${itemId})
        + (select count(*)::int from item_coverage_limits where household_id = ${householdId} and item_id = ${itemId})`.as('count'),
    ])
    .executeTakeFirstOrThrow();
  return row.count;
}
