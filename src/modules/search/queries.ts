import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { SearchType } from './schemas.ts';

// Full-text search over the generated search_vector columns of 0007_search.sql, in one statement:
// match and rank through the GIN indexes, keep the best `limit`, and only then compute snippets.

/** Up to this many characters a document is its own snippet; longer ones give two passages. */
const WHOLE_SNIPPET_CHARS = 160;

/**
 * The snippet as HTML: the text escaped first (an invitee sees an owner's description, which must
 * never become markup; ts_headline keeps entities whole and would drop tag-like text such as
 * "<y and y>"), then the matches wrapped in <mark>. Called for the returned rows only: it parses
 * the whole text again.
 */
function snippet(body: RawBuilder<string>, query: RawBuilder<unknown>) {
  const escaped = sql`replace(replace(replace(replace(replace(${body}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`;
  const marks = 'StartSel="<mark>", StopSel="</mark>"';
  return sql<string>`ts_headline('simple', ${escaped}, ${query}, case when length(${body}) <= ${WHOLE_SNIPPET_CHARS}
    then ${`HighlightAll=true, ${marks}`}
    else ${`MaxFragments=2, MaxWords=15, MinWords=5, ShortWord=0, FragmentDelimiter=" … ", ${marks}`} end)`;
}

/** The user's words: all but the last match whole words, the last one also as a prefix. */
export type SearchWords = { whole: string; last: string };

export type SearchRow = {
  type: SearchType;
  id: string;
  title: string;
  rank: number;
  project_id: string | null;
  household_id: string | null;
  snippet: string;
};

/** Rows of one table (alias `x`, with `id` and `search_vector`), which of them are the user's, and their household. */
type Source = { from: RawBuilder<unknown>; mine: RawBuilder<unknown>; household: RawBuilder<unknown> };

const NO_HOUSEHOLD = sql`null::uuid`;

/**
 * A household's rows, for every household the user is a member of now: the join to
 * household_members is the scope, so a member removed from a household finds nothing of it from
 * the next request on, and a stranger's household never appears.
 */
const household = (from: RawBuilder<unknown>, userId: string): Source[] => [
  { from: sql`${from} join household_members m on m.household_id = x.household_id`, mine: sql`m.user_id = ${userId}`, household: sql`x.household_id` },
];

/**
 * Where each type's rows come from. Events are the user's own and those they are invited to and
 * have not declined, as the range query lists them.
 */
function sources(userId: string): Record<SearchType, Source[]> {
  const own = (table: string): Source[] => [{ from: sql`${sql.table(table)} x`, mine: sql`x.user_id = ${userId}`, household: NO_HOUSEHOLD }];
  return {
    todo: own('todos'),
    event: [
      { from: sql`events x`, mine: sql`x.calendar_id in (select id from calendars where user_id = ${userId})`, household: NO_HOUSEHOLD },
      {
        from: sql`events x join event_invitees i on i.event_id = x.id`,
        mine: sql`i.user_id = ${userId} and i.status <> 'declined'`,
        household: NO_HOUSEHOLD,
      },
    ],
    reminder: own('reminders'),
    project: own('projects'),
    task: own('tasks'),
    person: own('people'),
    location: own('locations'),
    // item_search (0016): name, notes and the non-sensitive text values of each item.
    item: household(sql`(select item_id as id, household_id, search_vector from item_search) x`, userId),
    household_person: household(sql`household_people x`, userId),
    vehicle: household(sql`vehicles x`, userId),
    provider: household(sql`providers x`, userId),
    saved_contact: household(sql`saved_contacts x`, userId),
  };
}

/** Title, snippet text (the searched columns) and extra fields of one result, read by id. */
const documents: Record<SearchType, RawBuilder<unknown>> = {
  todo: sql`select title, concat_ws(' · ', title, description, category) as body, null::uuid as project_id from todos`,
  event: sql`select title, concat_ws(' · ', title, description, location) as body, null::uuid as project_id from events`,
  reminder: sql`select title, concat_ws(' · ', title, description) as body, null::uuid as project_id from reminders`,
  project: sql`select name, concat_ws(' · ', name, description) as body, null::uuid as project_id from projects`,
  task: sql`select title, concat_ws(' · ', title, description) as body, project_id from tasks`,
  person: sql`select name, concat_ws(' · ', name, nickname, company, relationship, email, phone, address, notes) as body, null::uuid as project_id from people`,
  location: sql`select name, concat_ws(' · ', name, category, address, notes) as body, null::uuid as project_id from locations`,
  item: sql`select i.name, s.body, null::uuid as project_id from items i join item_search s on s.item_id = i.id`,
  household_person: sql`select name, concat_ws(' · ', name, relationship, email, phone, notes) as body, null::uuid as project_id from household_people`,
  vehicle: sql`select name, concat_ws(' · ', name, make, model, plate, vin, color, notes) as body, null::uuid as project_id from vehicles`,
  provider: sql`select name, concat_ws(' · ', name, website, email, phone, notes) as body, null::uuid as project_id from providers`,
  saved_contact: sql`select name, concat_ws(' · ', name, label, value, country) as body, null::uuid as project_id from saved_contacts`,
};
/** The id column each document query is read by. */
const documentId: Partial<Record<SearchType, RawBuilder<unknown>>> = { item: sql`i.id` };

export type SearchRequest = { words: SearchWords; types: SearchType[]; limit: number };

/** The whole search as one statement (exported so its plan can be checked). */
export function searchStatement(userId: string, { words, types, limit }: SearchRequest): RawBuilder<SearchRow> {
  const from = sources(userId);
  // search_query() (0007) with constant arguments: the planner sees the tsquery itself.
  const matching = sql`search_query(${words.whole}, ${words.last}, true)`;
  // Whole words only: ranks "car" above "carpet" for the query "car".
  const exact = sql`search_query(${words.whole}, ${words.last}, false)`;
  const hits = types.flatMap((type) =>
    from[type].map(
      (source) => sql`
        select ${type}::text as type, x.id, ${source.household} as household_id, ts_rank(x.search_vector, ${matching}, 1) + ts_rank(x.search_vector, ${exact}, 1) as rank
        from ${source.from} where ${source.mine} and x.search_vector @@ ${matching}`,
    ),
  );
  const documentOf = types.map((type) => sql`${documents[type]} where top.type = ${type} and ${documentId[type] ?? sql`id`} = top.id`);
  return sql<SearchRow>`
    with hits as (${sql.join(hits, sql` union all `)}),
    top as (select type, id, household_id, rank from hits order by rank desc, type, id limit ${limit})
    select top.type, top.id, doc.title, top.rank, doc.project_id, top.household_id, ${snippet(sql`doc.body`, matching)} as snippet
    from top cross join lateral (${sql.join(documentOf, sql` union all `)}) as doc (title, body, project_id)
    order by top.rank desc, top.type, top.id`;
}

export async function searchRecords(db: Kysely<DB>, userId: string, request: SearchRequest): Promise<SearchRow[]> {
  if (request.types.length === 0) return [];
  return (await searchStatement(userId, request).execute(db)).rows;
}
