import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, Projects } from '../../platform/db/schema.ts';
import type { CreateProject, ProjectListParams, UpdateProject } from './schemas.ts';
import { PROJECT_COLUMNS } from '../../platform/db/columns.ts';
import { containsPattern } from '../../platform/crud/filters.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';

type TaskCounts = { task_count: number; done_count: number };
export type ProjectRow = Omit<Selectable<Projects>, 'search_vector'> & TaskCounts & { progress: number };

const sortColumns: SortColumns<ProjectListParams['sort']['field']> = {
  name: { by: sql`lower(name)` },
  created_at: { by: sql.ref('created_at') },
  due_date: { by: sql.ref('due_date'), nullsLast: true },
};

// Must match the expression of the trigram index projects_text_trgm.
const searchable = sql<string>`(name || ' ' || coalesce(description, ''))`;

/**
 * The task counts of the project row `table` names, as correlated subqueries in the same query
 * as the projects (read from the index on tasks (user_id, project_id, status)). PostgreSQL
 * evaluates such subqueries after sorting and LIMIT, so a page counts its own rows' tasks only.
 */
function taskCounts(table: 'projects' | 'changed') {
  const id = sql.ref(`${table}.id`);
  const userId = sql.ref(`${table}.user_id`);
  const ofProject = sql`tasks.user_id = ${userId} and tasks.project_id = ${id}`;
  return [
    sql<number>`(select count(*) from tasks where ${ofProject})`.as('task_count'),
    sql<number>`(select count(*) from tasks where ${ofProject} and tasks.status = 'done')`.as('done_count'),
  ];
}

/** Percent done, rounded down: 100 only when every task is done, 0 without tasks. */
export function progressOf(done: number, total: number): number {
  return total === 0 ? 0 : Math.floor((100 * done) / total);
}

function withProgress<T extends TaskCounts>(row: T): T & { progress: number } {
  return { ...row, progress: progressOf(row.done_count, row.task_count) };
}

export async function listProjects(db: Kysely<DB>, userId: string, params: ProjectListParams): Promise<Page<ProjectRow>> {
  let query = db.selectFrom('projects').where('user_id', '=', userId);
  if (params.status) query = query.where('status', '=', params.status);
  if (params.q) query = query.where(searchable, 'ilike', containsPattern(params.q));
  const page = await paginate(query, (q) => q.select(PROJECT_COLUMNS).select(taskCounts('projects')), sql.ref('id'), sortColumns, params);
  return { ...page, items: page.items.map(withProgress) };
}

export async function findProject(db: Kysely<DB>, userId: string, id: string): Promise<ProjectRow | undefined> {
  const row = await db
    .selectFrom('projects')
    .select(PROJECT_COLUMNS)
    .select(taskCounts('projects'))
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && withProgress(row);
}

export async function insertProject(db: Kysely<DB>, userId: string, values: CreateProject): Promise<ProjectRow> {
  const row = await db.insertInto('projects').values({ ...values, user_id: userId }).returning(PROJECT_COLUMNS).executeTakeFirstOrThrow();
  return withProgress({ ...row, task_count: 0, done_count: 0 });
}

export async function updateProject(
  db: Kysely<DB>,
  userId: string,
  id: string,
  changes: UpdateProject,
  versions?: number[],
): Promise<ProjectRow | undefined> {
  // One statement: the changed row (as the UPDATE returns it) with its counts.
  const row = await db
    .with('changed', (qb) => {
      let update = qb.updateTable('projects').set(changes).where('id', '=', id).where('user_id', '=', userId);
      if (versions) update = update.where('version', 'in', versions);
      return update.returning(PROJECT_COLUMNS);
    })
    .selectFrom('changed')
    .selectAll()
    .select(taskCounts('changed'))
    .executeTakeFirst();
  return row && withProgress(row);
}

export async function deleteProject(db: Kysely<DB>, userId: string, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('projects').where('id', '=', id).where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Whether the project is the user's. With `lock`, the row stays locked until the caller's
 * transaction ends (FOR NO KEY UPDATE: task inserts into this project take turns, while the
 * foreign-key checks of other task writes are not blocked).
 */
export async function isOwnProject(db: Kysely<DB>, userId: string, id: string, lock = false): Promise<boolean> {
  let query = db.selectFrom('projects').select('id').where('id', '=', id).where('user_id', '=', userId);
  if (lock) query = query.forNoKeyUpdate();
  return (await query.executeTakeFirst()) !== undefined;
}

/** Projects still in play (not completed or archived) with their progress, by name. */
export async function listOpenProjects(db: Kysely<DB>, userId: string) {
  const rows = await db
    .selectFrom('projects')
    .select(['id', 'name', 'status'])
    .select(taskCounts('projects'))
    .where('user_id', '=', userId)
    .where('status', 'not in', ['completed', 'archived'])
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
  return rows.map(withProgress);
}
