import type { DB } from './schema.ts';

// The columns records are read and returned with: every column but search_vector (0007), which
// only the search reads. Its text form costs as much to build and ship as the row itself (a list
// of 50 todos with descriptions took twice as long with it), so no selectAll() on these tables.

type Searchable = 'todos' | 'events' | 'reminders' | 'projects' | 'tasks' | 'people' | 'locations';
type Readable<T extends Searchable> = Exclude<keyof DB[T] & string, 'search_vector'>;

/** A column list that must name every readable column: a migration adding one fails the type check here. */
function readable<T extends Searchable>() {
  return <const L extends readonly Readable<T>[]>(columns: L & ([Exclude<Readable<T>, L[number]>] extends [never] ? unknown : { missing: Exclude<Readable<T>, L[number]> })): L => columns;
}

export const TODO_COLUMNS = readable<'todos'>()([
  'id', 'user_id', 'title', 'description', 'due_date', 'priority', 'category', 'completed', 'completed_at', 'version', 'created_at', 'updated_at',
]);

export const EVENT_COLUMNS = readable<'events'>()([
  'id', 'calendar_id', 'title', 'description', 'location', 'location_id', 'start_at', 'end_at', 'all_day', 'timezone', 'rrule', 'rule_until',
  'series_start', 'series_end', 'version', 'created_at', 'updated_at',
]);

export const REMINDER_COLUMNS = readable<'reminders'>()([
  'id', 'user_id', 'title', 'description', 'remind_at', 'repeat', 'repeat_anchor', 'is_dismissed', 'dismissed_at', 'snoozed_until', 'version',
  'created_at', 'updated_at',
]);

export const PROJECT_COLUMNS = readable<'projects'>()([
  'id', 'user_id', 'name', 'description', 'status', 'color', 'due_date', 'version', 'created_at', 'updated_at',
]);

export const TASK_COLUMNS = readable<'tasks'>()([
  'id', 'user_id', 'project_id', 'title', 'description', 'status', 'priority', 'due_date', 'position', 'version', 'created_at', 'updated_at',
]);

export const PERSON_COLUMNS = readable<'people'>()([
  'id', 'user_id', 'name', 'nickname', 'email', 'phone', 'birthday', 'relationship', 'company', 'address', 'notes', 'version', 'created_at',
  'updated_at',
]);

export const LOCATION_COLUMNS = readable<'locations'>()([
  'id', 'user_id', 'name', 'address', 'category', 'latitude', 'longitude', 'notes', 'version', 'created_at', 'updated_at',
]);

/** The columns as `alias.column`, for a query that joins other tables with the same names. */
export function qualified<A extends string, C extends string>(alias: A, columns: readonly C[]): Array<`${A}.${C}`> {
  return columns.map((column) => `${alias}.${column}` as const);
}
