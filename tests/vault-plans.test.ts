import { CompiledQuery, type KyselyPlugin, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { listItems } from '../src/modules/vault/item-queries.ts';
import { ItemListQuery } from '../src/modules/vault/item-schemas.ts';
import { useTestApp } from './helpers/app.ts';
import { homeOf } from './helpers/households.ts';
import { registerUser } from './helpers/users.ts';

// The item list's filters are indexed SQL, not a scan of every value: with 10,000 items in each
// of two households, EXPLAIN of the statements the list runs names the indexes of 0013.

const t = useTestApp();

const ITEMS = 10_000;

/** ITEMS items of three kinds with their values: passports (holder, expiry), auto policies (vehicle, renewal), warranties. */
async function seed(householdId: string) {
  await sql`insert into household_people (household_id, name) select ${householdId}, 'person ' || n from generate_series(1, 100) n`.execute(t.db);
  await sql`insert into vehicles (household_id, name) select ${householdId}, 'vehicle ' || n from generate_series(1, 20) n`.execute(t.db);
  await sql`
    insert into items (household_id, category, subcategory, name)
    select ${householdId}, (array['identity','insurance','property'])[1 + n % 3], (array['passport','auto','warranty'])[1 + n % 3], 'item ' || n
    from generate_series(1, ${ITEMS}) n`.execute(t.db);
  const numbered = sql`(select id, household_id, category, split_part(name, ' ', 2)::int as n from items where household_id = ${householdId})`;
  await sql`
    insert into item_field_values (item_id, household_id, field_key, value_date)
    select id, household_id, case category when 'identity' then 'expiry_date' when 'insurance' then 'renewal_date' else 'warranty_until' end,
      date '2026-01-01' + (n * 7919 % 3650)
    from ${numbered} i`.execute(t.db);
  await sql`
    insert into item_field_values (item_id, household_id, field_key, value_person)
    select i.id, i.household_id, 'holder', p.ids[1 + i.n % 100]
    from ${numbered} i, (select array_agg(id order by name) ids from household_people where household_id = ${householdId}) p
    where i.category = 'identity'`.execute(t.db);
  await sql`
    insert into item_field_values (item_id, household_id, field_key, value_vehicle)
    select i.id, i.household_id, 'vehicle', v.ids[1 + i.n % 20]
    from ${numbered} i, (select array_agg(id order by name) ids from vehicles where household_id = ${householdId}) v
    where i.category = 'insurance'`.execute(t.db);
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

/** The statements listItems sends (the page and its count), captured on their way to the database. */
async function listStatements(householdId: string, query: Record<string, string>) {
  const captured: CompiledQuery[] = [];
  const capture: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      captured.push(t.db.getExecutor().compileQuery(node, queryId));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  const page = await listItems(t.db.withPlugin(capture), householdId, ItemListQuery.parse(query), '2026-01-01');
  return { page, captured };
}

async function planIndexes(statement: CompiledQuery): Promise<Set<string>> {
  const plan = await t.db.executeQuery(CompiledQuery.raw(`explain (format json) ${statement.sql}`, [...statement.parameters]));
  return indexesIn(plan.rows);
}

describe('the item list on 10,000 items per household', () => {
  it('finds expiring items through the date index and referring items through the reference index', async () => {
    const [mine, theirs] = [await registerUser(t.app), await registerUser(t.app)];
    const [hid, other] = [(await homeOf(t.app, mine)).id, (await homeOf(t.app, theirs)).id];
    await seed(hid);
    await seed(other);
    // As autovacuum would have by now.
    await sql`vacuum analyze`.execute(t.db);

    const expiring = await listStatements(hid, { expiring_before: '2026-01-15' });
    // Dates 2026-01-01 .. 2026-01-15 hold 15 of the 3650 days: about 41 of each household's 10,000.
    expect(expiring.page.total).toBeGreaterThan(20);
    expect(expiring.page.total).toBeLessThan(80);
    expect(expiring.captured).toHaveLength(2);
    for (const statement of expiring.captured) expect(await planIndexes(statement), statement.sql).toContain('item_field_values_dates');

    const person = await t.db.selectFrom('household_people').select('id').where('household_id', '=', hid).orderBy('name').executeTakeFirstOrThrow();
    const referring = await listStatements(hid, { person_id: person.id });
    expect(referring.page.total).toBe(Math.round(ITEMS / 3 / 100));
    for (const statement of referring.captured) expect(await planIndexes(statement), statement.sql).toContain('item_field_values_person');

    // The default page (by name) reads the household's name index, values per returned item by key.
    const plain = await listStatements(hid, { limit: '50' });
    const [pageStatement] = plain.captured;
    if (!pageStatement) throw new Error('the list sent no statement');
    const indexes = await planIndexes(pageStatement);
    expect(indexes).toContain('items_name');
    expect(indexes).toContain('item_field_values_pkey');
  });
});
