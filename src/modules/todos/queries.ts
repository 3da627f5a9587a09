import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, Todos } from '../../platform/db/schema.ts';
import type { CreateTodo, TodoListParams, UpdateTodo } from './schemas.ts';
import { TODO_COLUMNS } from '../../platform/db/columns.ts';
import { containsPattern, userToday } from '../../platform/crud/filters.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';

export type TodoRow = Omit<Selectable<Todos>, 'search_vector'>;

const sortColumns: SortColumns<TodoListParams['sort']['field']> = {
  due_date: { by: sql.ref('due_date'), nullsLast: true },
  created_at: { by: sql.ref('created_at') },
  priority: { by: sql.ref('priority') },
  title: { by: sql`lower(title)` },
};

// Must match the expression of the trigram index todos_text_trgm.
const searchable = sql<string>`(title || ' ' || coalesce(description, ''))`;

export async function listTodos(db: Kysely<DB>, userId: string, params: TodoListParams): Promise<Page<TodoRow>> {
  let query = db.selectFrom('todos').where('user_id', '=', userId);
  if (params.completed !== undefined) query = query.where('completed', '=', params.completed);
  if (params.priority) query = query.where('priority', '=', params.priority);
  if (params.category !== undefined) query = query.where('category', '=', params.category);
  if (params.due_from) query = query.where('due_date', '>=', params.due_from);
  if (params.due_to) query = query.where('due_date', '<=', params.due_to);
  if (params.overdue === true) query = query.where('completed', '=', false).where('due_date', '<', userToday(userId));
  if (params.overdue === false) {
    query = query.where((eb) =>
      eb.or([eb('completed', '=', true), eb('due_date', 'is', null), eb('due_date', '>=', userToday(userId))]),
    );
  }
  if (params.q) query = query.where(searchable, 'ilike', containsPattern(params.q));
  return paginate(query, (q) => q.select(TODO_COLUMNS), sql.ref('id'), sortColumns, params);
}

export async function findTodo(db: Kysely<DB>, userId: string, id: string): Promise<TodoRow | undefined> {
  return db.selectFrom('todos').select(TODO_COLUMNS).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export async function insertTodo(db: Kysely<DB>, userId: string, values: CreateTodo): Promise<TodoRow> {
  return db
    .insertInto('todos')
    .values({ ...values, user_id: userId, completed_at: values.completed ? sql<Date>`now()` : null })
    .returning(TODO_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** completed_at follows completed: stamped when it becomes true, cleared when false. */
function completedAt(completed: boolean | undefined) {
  if (completed === undefined) return {};
  return { completed_at: completed ? sql<Date>`coalesce(completed_at, now())` : null };
}

export async function updateTodo(
  db: Kysely<DB>,
  userId: string,
  id: string,
  changes: UpdateTodo,
  versions?: number[],
): Promise<TodoRow | undefined> {
  let query = db
    .updateTable('todos')
    .set({ ...changes, ...completedAt(changes.completed) })
    .where('id', '=', id)
    .where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  return query.returning(TODO_COLUMNS).executeTakeFirst();
}

export async function toggleTodo(db: Kysely<DB>, userId: string, id: string, versions?: number[]): Promise<TodoRow | undefined> {
  let query = db
    .updateTable('todos')
    .set({
      completed: sql<boolean>`not completed`,
      completed_at: sql<Date | null>`case when completed then null else now() end`,
    })
    .where('id', '=', id)
    .where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  return query.returning(TODO_COLUMNS).executeTakeFirst();
}

export async function deleteTodo(db: Kysely<DB>, userId: string, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('todos').where('id', '=', id).where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export type TodoCounts = { open: number; overdue: number; due_today: number };

/**
 * How many todos are open, and of those how many are overdue or due on `today` (the user's date,
 * passed in so every part of a dashboard reads the same clock). One pass over the open todos in
 * the index todos_user_completed_due.
 */
export async function countOpenTodos(db: Kysely<DB>, userId: string, today: string): Promise<TodoCounts> {
  const row = await db
    .selectFrom('todos')
    .select((eb) => [
      eb.fn.countAll<number>().as('open'),
      sql<number>`count(*) filter (where due_date < ${today}::date)`.as('overdue'),
      sql<number>`count(*) filter (where due_date = ${today}::date)`.as('due_today'),
    ])
    .where('user_id', '=', userId)
    .where('completed', '=', false)
    .executeTakeFirst();
  return row ?? { open: 0, overdue: 0, due_today: 0 };
}

export type DatedItem = { id: string; title: string; due_date: string };

/** Open todos due on a date in [from, to) (dates, `to` exclusive). */
export async function listOpenTodosDue(db: Kysely<DB>, userId: string, range: { from: string; to: string }): Promise<DatedItem[]> {
  const rows = await db
    .selectFrom('todos')
    .select(['id', 'title', 'due_date'])
    .where('user_id', '=', userId)
    .where('completed', '=', false)
    .where('due_date', '>=', range.from)
    .where('due_date', '<', range.to)
    .orderBy('due_date')
    .orderBy('id')
    .execute();
  return rows.flatMap(({ due_date, ...row }) => (due_date === null ? [] : [{ ...row, due_date }]));
}
