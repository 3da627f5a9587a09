import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Page } from '../../platform/crud/pagination.ts';
import type { AuditLog, DB, JsonValue } from '../../platform/db/schema.ts';

export type AuditEntryRow = {
  id: string;
  actor: { id: string; display_name: string } | null;
  action: string;
  target: { type: string; id: string } | null;
  details: { [key: string]: JsonValue };
  at: Date;
};

type Scope = { householdId: string } | { accountId: string };
export type AuditFilter = { action?: string; actor_id?: string; from?: Date; to?: Date; limit: number; offset: number };

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type EntryQuery = SelectQueryBuilder<DB & { a: AuditLog }, 'a', object>;

function withActor(query: EntryQuery) {
  return query
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.action', 'a.target_type', 'a.target_id', 'a.details', 'a.at', 'u.id as actor_id', 'u.display_name as actor_name']);
}

type EntryColumns = Awaited<ReturnType<ReturnType<typeof withActor>['execute']>>[number];

function entryOf(row: EntryColumns): AuditEntryRow {
  return {
    id: row.id,
    actor: row.actor_id !== null && row.actor_name !== null ? { id: row.actor_id, display_name: row.actor_name } : null,
    action: row.action,
    target: row.target_type !== null && row.target_id !== null ? { type: row.target_type, id: row.target_id } : null,
    details: isObject(row.details) ? row.details : {},
    at: row.at,
  };
}

/** The household's newest entries, without a count (the household dashboard's recent activity). */
export async function listRecentAuditEntries(db: Kysely<DB>, householdId: string, limit: number): Promise<AuditEntryRow[]> {
  const rows = await withActor(db.selectFrom('audit_log as a').where('a.household_id', '=', householdId)).orderBy('a.seq', 'desc').limit(limit).execute();
  return rows.map(entryOf);
}

/** One page of a household's or an account's audit entries, newest first, with the total. */
export async function listAuditEntries(db: Kysely<DB>, scope: Scope, filter: AuditFilter): Promise<Page<AuditEntryRow>> {
  let query = db.selectFrom('audit_log as a');
  query = 'householdId' in scope ? query.where('a.household_id', '=', scope.householdId) : query.where('a.account_id', '=', scope.accountId);
  if (filter.action) query = query.where('a.action', '=', filter.action);
  if (filter.actor_id) query = query.where('a.actor_id', '=', filter.actor_id);
  if (filter.from) query = query.where('a.at', '>=', filter.from);
  if (filter.to) query = query.where('a.at', '<', filter.to);
  const [rows, counted] = await Promise.all([
    withActor(query).orderBy('a.seq', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
  ]);
  const items = rows.map(entryOf);
  return { items, total: counted.total, limit: filter.limit, offset: filter.offset };
}
