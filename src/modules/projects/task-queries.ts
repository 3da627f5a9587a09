import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, Tasks } from '../../platform/db/schema.ts';
import type { CreateTask, TaskListParams, UpdateTask } from './task-schemas.ts';
import { TASK_COLUMNS } from '../../platform/db/columns.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';

export type TaskRow = Omit<Selectable<Tasks>, 'search_vector'>;

/** Tasks live in one project of one user; every query is scoped by both. */
export type TaskOwner = { userId: string; projectId: string };

const sortColumns: SortColumns<TaskListParams['sort']['field']> = {
  position: { by: sql.ref('position'), thenBy: sql.ref('created_at') },
  created_at: { by: sql.ref('created_at') },
  due_date: { by: sql.ref('due_date'), nullsLast: true },
  priority: { by: sql.ref('priority') },
  title: { by: sql`lower(title)` },
};

function tasksOf(db: Kysely<DB>, owner: TaskOwner) {
  return db.selectFrom('tasks').where('user_id', '=', owner.userId).where('project_id', '=', owner.projectId);
}

export async function listTasks(db: Kysely<DB>, owner: TaskOwner, params: TaskListParams): Promise<Page<TaskRow>> {
  let query = tasksOf(db, owner);
  if (params.status) query = query.where('status', '=', params.status);
  return paginate(query, (q) => q.select(TASK_COLUMNS), sql.ref('id'), sortColumns, params);
}

export async function findTask(db: Kysely<DB>, owner: TaskOwner, id: string): Promise<TaskRow | undefined> {
  return tasksOf(db, owner).select(TASK_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/**
 * A new task goes last (the project's highest position + 1) unless it names a position. The
 * caller holds the project's lock (isOwnProject with lock) in the same transaction, so two
 * concurrent inserts never read the same highest position.
 */
export async function insertTask(db: Kysely<DB>, owner: TaskOwner, values: CreateTask): Promise<TaskRow> {
  const last = tasksOf(db, owner).select(sql<number>`least(coalesce(max(position)::bigint + 1, 0), 2147483647)::integer`.as('next'));
  return db
    .insertInto('tasks')
    .values({ ...values, user_id: owner.userId, project_id: owner.projectId, position: values.position ?? last })
    .returning(TASK_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function updateTask(
  db: Kysely<DB>,
  owner: TaskOwner,
  id: string,
  changes: UpdateTask,
  versions?: number[],
): Promise<TaskRow | undefined> {
  let query = db
    .updateTable('tasks')
    .set(changes)
    .where('id', '=', id)
    .where('user_id', '=', owner.userId)
    .where('project_id', '=', owner.projectId);
  if (versions) query = query.where('version', 'in', versions);
  return query.returning(TASK_COLUMNS).executeTakeFirst();
}

export async function deleteTask(db: Kysely<DB>, owner: TaskOwner, id: string, versions?: number[]): Promise<boolean> {
  let query = db
    .deleteFrom('tasks')
    .where('id', '=', id)
    .where('user_id', '=', owner.userId)
    .where('project_id', '=', owner.projectId);
  if (versions) query = query.where('version', 'in', versions);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export type DueTask = { id: string; project_id: string; title: string; due_date: string };

/**
 * Tasks not done, due on a date in [from, to) (`to` exclusive), across the user's projects that
 * are still in play: a completed or archived project has been put away with whatever it holds.
 */
export async function listOpenTasksDue(db: Kysely<DB>, userId: string, range: { from: string; to: string }): Promise<DueTask[]> {
  const rows = await db
    .selectFrom('tasks as t')
    .innerJoin('projects as p', (join) => join.onRef('p.id', '=', 't.project_id').onRef('p.user_id', '=', 't.user_id'))
    .select(['t.id', 't.project_id', 't.title', 't.due_date'])
    .where('t.user_id', '=', userId)
    .where('t.status', '<>', 'done')
    .where('t.due_date', '>=', range.from)
    .where('t.due_date', '<', range.to)
    .where('p.status', 'not in', ['completed', 'archived'])
    .orderBy('t.due_date')
    .orderBy('t.id')
    .execute();
  return rows.flatMap(({ due_date, ...row }) => (due_date === null ? [] : [{ ...row, due_date }]));
}
