import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FileListParams } from './schemas.ts';

// The item_files rows. Every statement is scoped by the household (and the item) in SQL.

export type FileRow = {
  id: string;
  household_id: string;
  item_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  encryption_version: number;
  storage_key: string;
  wrapped_key: string | null;
  iv: Buffer | null;
  tag: Buffer | null;
  client_key: string | null;
  uploaded_by_id: string | null;
  uploaded_by_name: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
};

/** What the bytes are and how they are sealed: a new upload, or the replacement of one. */
export type FileContent = {
  storage_key: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  encryption_version: 1 | 2;
  wrapped_key: string | null;
  iv: Buffer | null;
  tag: Buffer | null;
  client_key: string | null;
};

type FileQuery = SelectQueryBuilder<DB, 'item_files' | 'users', object>;

function filesOf(db: Kysely<DB>, householdId: string, itemId: string): FileQuery {
  return db
    .selectFrom('item_files')
    .leftJoin('users', 'users.id', 'item_files.uploaded_by')
    .where('item_files.household_id', '=', householdId)
    .where('item_files.item_id', '=', itemId);
}

const withColumns = (query: FileQuery) =>
  query.select([
    'item_files.id',
    'item_files.household_id',
    'item_files.item_id',
    'item_files.filename',
    'item_files.content_type',
    'item_files.size',
    'item_files.sha256',
    'item_files.encryption_version',
    'item_files.storage_key',
    'item_files.wrapped_key',
    'item_files.iv',
    'item_files.tag',
    'item_files.client_key',
    'users.id as uploaded_by_id',
    'users.display_name as uploaded_by_name',
    'item_files.version',
    'item_files.created_at',
    'item_files.updated_at',
  ]);

const SORT: SortColumns<FileListParams['sort']['field']> = {
  created_at: { by: sql.ref('item_files.created_at') },
  filename: { by: sql`lower(item_files.filename)` },
  size: { by: sql.ref('item_files.size') },
};

export async function listFiles(db: Kysely<DB>, householdId: string, itemId: string, params: FileListParams): Promise<Page<FileRow>> {
  return paginate(filesOf(db, householdId, itemId), withColumns, sql.ref('item_files.id'), SORT, params);
}

export async function findFile(db: Kysely<DB>, householdId: string, itemId: string, id: string, lock = false): Promise<FileRow | undefined> {
  const query = withColumns(filesOf(db, householdId, itemId).where('item_files.id', '=', id));
  return (lock ? query.forUpdate('item_files') : query).executeTakeFirst();
}

/** Whether the item exists in the household; `lock` holds it (FOR KEY SHARE) until commit. */
export async function itemExists(db: Kysely<DB>, householdId: string, itemId: string, lock = false): Promise<boolean> {
  const query = db.selectFrom('items').select('id').where('id', '=', itemId).where('household_id', '=', householdId);
  return (await (lock ? query.forKeyShare() : query).executeTakeFirst()) !== undefined;
}

export async function insertFile(db: Kysely<DB>, values: FileContent & { id: string; household_id: string; item_id: string; uploaded_by: string }): Promise<void> {
  await db.insertInto('item_files').values(values).execute();
}

export async function replaceFileContent(db: Kysely<DB>, householdId: string, id: string, content: FileContent & { uploaded_by: string }): Promise<void> {
  await db.updateTable('item_files').set(content).where('id', '=', id).where('household_id', '=', householdId).execute();
}

export async function deleteFile(db: Kysely<DB>, householdId: string, id: string): Promise<void> {
  await db.deleteFrom('item_files').where('id', '=', id).where('household_id', '=', householdId).execute();
}

/** The household's server-side (version 1) key, wrapped by the master key. */
export async function findServerKey(db: Kysely<DB>, householdId: string): Promise<string> {
  const row = await db.selectFrom('households').select('server_key').where('id', '=', householdId).executeTakeFirstOrThrow();
  return row.server_key;
}

/**
 * Files of one household are written one at a time from the quota check to the commit, so two
 * concurrent uploads cannot both fit under the quota that only one fits under.
 */
export async function lockHouseholdFiles(db: Kysely<DB>, householdId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`item_files:${householdId}`}))`.execute(db);
}

/** Which of `keys` a file row names (the sweeper's question). */
export async function namedStorageKeys(db: Kysely<DB>, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('item_files').select('storage_key').where('storage_key', 'in', keys).execute();
  return new Set(rows.map((row) => row.storage_key));
}
