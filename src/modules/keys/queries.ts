import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

export type StoredKeys = {
  kdf: unknown;
  encrypted_user_key: string;
  public_key: string;
  encrypted_private_key: string;
  version: number;
  updated_at: Date;
};

const KEY_COLUMNS = ['kdf', 'encrypted_user_key', 'public_key', 'encrypted_private_key', 'version', 'updated_at'] as const;

export async function findKeys(db: Kysely<DB>, userId: string): Promise<StoredKeys | undefined> {
  return db.selectFrom('user_keys').select(KEY_COLUMNS).where('user_id', '=', userId).executeTakeFirst();
}

export type NewKeys = { kdf: { name: string; iterations: number; salt: string }; encrypted_user_key: string; public_key: string; encrypted_private_key: string };

/** Sets the user's keys (the row is locked by the upsert for the rest of the transaction). */
export async function upsertKeys(db: Kysely<DB>, userId: string, keys: NewKeys): Promise<StoredKeys> {
  const values = { ...keys, kdf: JSON.stringify(keys.kdf) };
  return db
    .insertInto('user_keys')
    .values({ user_id: userId, ...values })
    .onConflict((conflict) => conflict.column('user_id').doUpdateSet(values))
    .returning(KEY_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** The same user key wrapped by a new password: true when the user had keys to re-wrap. */
export async function rewrapUserKey(db: Kysely<DB>, userId: string, encryptedUserKey: string): Promise<boolean> {
  const result = await db.updateTable('user_keys').set({ encrypted_user_key: encryptedUserKey }).where('user_id', '=', userId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Envelopes wrapped for a public key the user no longer has cannot be opened: they go. */
export async function deleteUserEnvelopes(db: Kysely<DB>, userId: string): Promise<number> {
  const result = await db.deleteFrom('household_key_envelopes').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Another user's public key, only when the two share a household. */
export async function findSharedPublicKey(db: Kysely<DB>, viewerId: string, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('user_keys as k')
    .select('k.public_key')
    .where('k.user_id', '=', userId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('household_members as mine')
          .innerJoin('household_members as theirs', 'theirs.household_id', 'mine.household_id')
          .select(sql`1`.as('one'))
          .where('mine.user_id', '=', viewerId)
          .where('theirs.user_id', '=', userId),
      ),
    )
    .executeTakeFirst();
  return row?.public_key;
}

export type EnvelopeRow = { user_id: string; encrypted_household_key: string; key_version: number; created_at: Date };

export async function findEnvelope(db: Kysely<DB>, householdId: string, userId: string): Promise<EnvelopeRow | undefined> {
  return db
    .selectFrom('household_key_envelopes')
    .select(['user_id', 'encrypted_household_key', 'key_version', 'created_at'])
    .where('household_id', '=', householdId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function countEnvelopes(db: Kysely<DB>, householdId: string): Promise<number> {
  const row = await db
    .selectFrom('household_key_envelopes')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('household_id', '=', householdId)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function upsertEnvelope(
  db: Kysely<DB>,
  envelope: { householdId: string; userId: string; encryptedHouseholdKey: string; keyVersion: number; createdBy: string },
): Promise<EnvelopeRow> {
  const values = { encrypted_household_key: envelope.encryptedHouseholdKey, key_version: envelope.keyVersion, created_by: envelope.createdBy, created_at: sql<Date>`now()` };
  return db
    .insertInto('household_key_envelopes')
    .values({ household_id: envelope.householdId, user_id: envelope.userId, ...values })
    .onConflict((conflict) => conflict.columns(['household_id', 'user_id']).doUpdateSet(values))
    .returning(['user_id', 'encrypted_household_key', 'key_version', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function findKeyVersion(db: Kysely<DB>, householdId: string): Promise<number> {
  const row = await db.selectFrom('households').select('key_version').where('id', '=', householdId).executeTakeFirstOrThrow();
  return row.key_version;
}

export async function setKeyVersion(db: Kysely<DB>, householdId: string, keyVersion: number): Promise<void> {
  await db.updateTable('households').set({ key_version: keyVersion }).where('id', '=', householdId).execute();
}
