import { type Kysely, sql } from 'kysely';
import type { DB, HouseholdRole } from '../../platform/db/schema.ts';

// The rows a household key rotation reads and rewrites, besides the vault's `enc:` values (the
// vault module's index). Version-2 files are the files module's rows; the rotation is the one
// other writer of their `client_key`, and only of version-2 rows of the household.

/**
 * Locks the household for a rotation, in this order: the household row (FOR NO KEY UPDATE:
 * another rotation, a confirmation or a membership change waits, as they lock it FOR UPDATE;
 * vault writes' foreign-key checks do not), then every membership row (vault and file writes
 * hold their own FOR SHARE: those in flight finish first, new ones wait until the rotation
 * commits, so no version-2 file or `enc:` value appears between the check and the commit).
 * Answers the members with their role and whether they have keys, and the current key version.
 */
export async function lockForRotation(
  db: Kysely<DB>,
  householdId: string,
): Promise<{ keyVersion: number; members: { user_id: string; role: HouseholdRole; has_keys: boolean }[] }> {
  const household = await db.selectFrom('households').select('key_version').where('id', '=', householdId).forNoKeyUpdate().executeTakeFirstOrThrow();
  const members = await db
    .selectFrom('household_members as m')
    .leftJoin('user_keys as k', 'k.user_id', 'm.user_id')
    .select(['m.user_id', 'm.role', sql<boolean>`k.user_id is not null`.as('has_keys')])
    .where('m.household_id', '=', householdId)
    .orderBy('m.user_id')
    .forNoKeyUpdate('m')
    .execute();
  return { keyVersion: household.key_version, members };
}

export async function listEnvelopeHolders(db: Kysely<DB>, householdId: string): Promise<string[]> {
  const rows = await db.selectFrom('household_key_envelopes').select('user_id').where('household_id', '=', householdId).orderBy('user_id').execute();
  return rows.map((row) => row.user_id);
}

export async function listVersion2Files(db: Kysely<DB>, householdId: string): Promise<string[]> {
  const rows = await db.selectFrom('item_files').select('id').where('household_id', '=', householdId).where('encryption_version', '=', 2).orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** New client keys of version-2 files of the household (each named once, checked by the caller). */
export async function rekeyFiles(db: Kysely<DB>, householdId: string, files: { id: string; key: string }[]): Promise<number> {
  if (files.length === 0) return 0;
  const result = await sql`
    update item_files as f set client_key = n.key
    from unnest(${files.map((file) => file.id)}::uuid[], ${files.map((file) => file.key)}::text[]) as n(id, key)
    where f.id = n.id and f.household_id = ${householdId} and f.encryption_version = 2`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
