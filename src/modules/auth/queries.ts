import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, Users } from '../../platform/db/schema.ts';

export type UserRow = Pick<Selectable<Users>, 'id' | 'email' | 'display_name' | 'created_at'>;

const publicColumns = ['id', 'email', 'display_name', 'created_at'] as const;

export async function findUserById(db: Kysely<DB>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(publicColumns).where('id', '=', id).executeTakeFirst();
}

/** Case-insensitive, through the unique index on lower(email). */
export async function findUserByEmail(
  db: Kysely<DB>,
  email: string,
): Promise<(UserRow & { password_hash: string }) | undefined> {
  return db
    .selectFrom('users')
    .select([...publicColumns, 'password_hash'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export async function findPasswordHash(db: Kysely<DB>, userId: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
  return row?.password_hash;
}

export async function insertUser(
  db: Kysely<DB>,
  values: { email: string; display_name: string; password_hash: string },
): Promise<UserRow> {
  return db.insertInto('users').values(values).returning(publicColumns).executeTakeFirstOrThrow();
}

export async function updateUser(
  db: Kysely<DB>,
  userId: string,
  changes: { display_name?: string; password_hash?: string },
): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', userId).execute();
}
