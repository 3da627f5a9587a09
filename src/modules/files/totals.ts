import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

export type FileTotals = { count: number; bytes: number };

/** How many files a household holds and their stored size: the quota and the household dashboard. */
export async function householdFileTotals(db: Kysely<DB>, householdId: string): Promise<FileTotals> {
  const row = await db
    .selectFrom('item_files')
    .where('household_id', '=', householdId)
    .select([sql<string>`count(*)`.as('count'), sql<string>`coalesce(sum(size), 0)`.as('bytes')])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), bytes: Number(row.bytes) };
}
