import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, People } from '../../platform/db/schema.ts';
import type { CreatePerson, PersonListParams, UpdatePerson } from './schemas.ts';
import { PERSON_COLUMNS } from '../../platform/db/columns.ts';
import { containsPattern, findUserToday } from '../../platform/crud/filters.ts';
import { type Page, paginate, type SortColumns } from '../../platform/crud/pagination.ts';

export type PersonRow = Omit<Selectable<People>, 'search_vector'>;

/** `birthday` orders by the next birthday on or after `today` (next_birthday() in 0004). */
function sortColumns(today: string | undefined): SortColumns<PersonListParams['sort']['field']> {
  return {
    name: { by: sql`lower(name)` },
    created_at: { by: sql.ref('created_at') },
    birthday: { by: sql`next_birthday(birthday, ${today}::date)`, nullsLast: true },
  };
}

// Must match the expression of the trigram index people_text_trgm.
const searchable = sql<string>`(name || ' ' || coalesce(nickname, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(notes, ''))`;

export async function listPeople(db: Kysely<DB>, userId: string, params: PersonListParams): Promise<Page<PersonRow>> {
  let query = db.selectFrom('people').where('user_id', '=', userId);
  if (params.relationship !== undefined) query = query.where('relationship', '=', params.relationship);
  if (params.q) query = query.where(searchable, 'ilike', containsPattern(params.q));
  // Today in the user's zone, read first only when the birthday sort needs it.
  const today = params.sort.field === 'birthday' ? await findUserToday(db, userId) : undefined;
  return paginate(query, (q) => q.select(PERSON_COLUMNS), sql.ref('id'), sortColumns(today), params);
}

export async function findPerson(db: Kysely<DB>, userId: string, id: string): Promise<PersonRow | undefined> {
  return db.selectFrom('people').select(PERSON_COLUMNS).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export async function insertPerson(db: Kysely<DB>, userId: string, values: CreatePerson): Promise<PersonRow> {
  return db.insertInto('people').values({ ...values, user_id: userId }).returning(PERSON_COLUMNS).executeTakeFirstOrThrow();
}

export async function updatePerson(
  db: Kysely<DB>,
  userId: string,
  id: string,
  changes: UpdatePerson,
  versions?: number[],
): Promise<PersonRow | undefined> {
  let query = db.updateTable('people').set(changes).where('id', '=', id).where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  return query.returning(PERSON_COLUMNS).executeTakeFirst();
}

export async function deletePerson(db: Kysely<DB>, userId: string, id: string, versions?: number[]): Promise<boolean> {
  let query = db.deleteFrom('people').where('id', '=', id).where('user_id', '=', userId);
  if (versions) query = query.where('version', 'in', versions);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export type Birthday = { person_id: string; name: string; date: string; age: number };

/**
 * Birthdays on a date in [from, to) (`to` exclusive, at most a year after `from`), with the age
 * the person turns. next_birthday() (0004) places 29 February on 28 February in other years, as
 * the birthday sort does. A birth date on or after the birthday found is no anniversary yet.
 */
export async function listBirthdaysBetween(db: Kysely<DB>, userId: string, range: { from: string; to: string }): Promise<Birthday[]> {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('people')
        .select(['id', 'name', 'birthday', sql<string>`next_birthday(birthday, ${range.from}::date)`.as('date')])
        .where('user_id', '=', userId)
        .where('birthday', 'is not', null)
        .as('p'),
    )
    .select(['id as person_id', 'name', 'date', sql<number>`(extract(year from date) - extract(year from birthday))::int`.as('age')])
    .where('date', '<', range.to)
    .whereRef('date', '>', 'birthday')
    .orderBy('date')
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
  return rows;
}
