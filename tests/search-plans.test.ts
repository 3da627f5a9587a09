import { CompiledQuery, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { searchStatement } from '../src/modules/search/queries.ts';
import { SEARCH_TYPES } from '../src/modules/search/schemas.ts';
import { useTestApp } from './helpers/app.ts';
import { registerUser, type SignedIn } from './helpers/users.ts';

const t = useTestApp();

const ROWS = 3000;

/** ROWS rows of each searchable type for the user, with words of every frequency. */
async function seed(user: SignedIn) {
  const calendar = await t.db.selectFrom('calendars').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
  const text = sql<string>`(array['alpha','bravo','charlie','delta','echo'])[1 + n % 5] || ' w' || (n % 997) || ' item ' || n`;
  const rows = sql`generate_series(1, ${ROWS}) as n`;
  await sql`insert into todos (user_id, title, description) select ${user.id}, ${text}, 'a longer description of item ' || n from ${rows}`.execute(t.db);
  await sql`insert into reminders (user_id, title, remind_at, repeat_anchor) select ${user.id}, ${text}, now(), now() from ${rows}`.execute(t.db);
  await sql`insert into projects (user_id, name) select ${user.id}, ${text} from ${rows}`.execute(t.db);
  const project = await t.db.selectFrom('projects').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
  await sql`insert into tasks (user_id, project_id, title, position) select ${user.id}, ${project.id}, ${text}, n from ${rows}`.execute(t.db);
  await sql`insert into people (user_id, name, notes) select ${user.id}, ${text}, 'met at item ' || n from ${rows}`.execute(t.db);
  await sql`insert into locations (user_id, name) select ${user.id}, ${text} from ${rows}`.execute(t.db);
  await sql`
    insert into events (calendar_id, title, start_at, end_at, timezone, series_start, series_end)
    select ${calendar.id}, ${text}, at, at + interval '1 hour', 'UTC', at, at + interval '1 hour'
    from ${rows}, lateral (select timestamptz '2026-01-01 09:00Z' + n * interval '1 day' as at) as t`.execute(t.db);
  // The vault records of the user's household "Home"; the items' words are in a field value.
  const home = await t.db.selectFrom('household_members').select('household_id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
  const hid = home.household_id;
  await sql`insert into household_people (household_id, name) select ${hid}, ${text} from ${rows}`.execute(t.db);
  await sql`insert into vehicles (household_id, name) select ${hid}, ${text} from ${rows}`.execute(t.db);
  await sql`insert into providers (household_id, name) select ${hid}, ${text} from ${rows}`.execute(t.db);
  await sql`insert into saved_contacts (household_id, name, kind, value) select ${hid}, ${text}, 'phone', '+1 555 ' || n from ${rows}`.execute(t.db);
  await sql`
    with made as (insert into items (household_id, category, subcategory, name) select ${hid}, 'property', 'appliance', 'appliance ' || n from ${rows} returning id, name)
    insert into item_field_values (item_id, household_id, field_key, value_text)
    select id, ${hid}, 'vendor', (array['alpha','bravo','charlie','delta','echo'])[1 + n % 5] || ' w' || (n % 997) || ' item ' || n
    from made, lateral (select split_part(name, ' ', 2)::int as n) as parsed`.execute(t.db);
}

/** The index names anywhere in an EXPLAIN (FORMAT JSON) plan. */
function indexesIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const child of node) indexesIn(child, found);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Index Name' && typeof value === 'string') found.add(value);
      else indexesIn(value, found);
    }
  }
  return found;
}

describe('search on a few thousand rows of each type, the vault included', () => {
  it('matches through the GIN index of every table, for a word and a prefix', async () => {
    const user = await registerUser(t.app);
    const others = [await registerUser(t.app), await registerUser(t.app)];
    for (const owner of [user, ...others]) await seed(owner);
    // As autovacuum would have by now: statistics, and the GIN indexes' own page counts.
    await sql`vacuum analyze`.execute(t.db);

    for (const words of [{ whole: '', last: 'w123' }, { whole: 'bravo', last: 'w12' }]) {
      const request = { words, types: [...SEARCH_TYPES], limit: 20 };
      const compiled = searchStatement(user.id, request).compile(t.db);
      const plan = await t.db.executeQuery(CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]));
      const indexes = indexesIn(plan.rows);
      for (const table of ['todos', 'events', 'reminders', 'projects', 'tasks', 'people', 'locations', 'household_people', 'vehicles', 'providers', 'saved_contacts']) {
        expect(indexes, `${table} for ${JSON.stringify(words)}`).toContain(`${table}_search`);
      }
      expect(indexes, `items for ${JSON.stringify(words)}`).toContain('item_search_vector');
    }

    const response = await t.app.inject({ method: 'GET', url: '/api/search?q=w123&limit=100', headers: user.headers });
    expect(response.statusCode).toBe(200);
    const items: Array<{ id: string; title: string }> = response.json().items;
    // "w123" is in 3 rows of each of the 12 types, per user: only the user's 36 come back (items by their vendor).
    expect(items).toHaveLength(36);
    expect(items.every((item) => / w123 /.test(item.title) || /^appliance \d+$/.test(item.title))).toBe(true);
  });
});
