import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { type SearchRow, searchRecords } from './queries.ts';
import { SEARCH_TYPES, type SearchParams, type SearchResult } from './schemas.ts';

/** "buy oat mi" -> whole words "buy oat", last word "mi" (matched as a prefix too). */
export function splitWords(q: string): { whole: string; last: string } {
  const words = q.trim().split(/\s+/);
  const last = words.pop() ?? '';
  return { whole: words.join(' '), last };
}

/** Only tasks carry project_id and only vault records household_id (their URLs need them). */
function toResult({ project_id, household_id, ...result }: SearchRow): SearchResult {
  return { ...result, ...(project_id === null ? {} : { project_id }), ...(household_id === null ? {} : { household_id }) };
}

export async function search(db: Kysely<DB>, userId: string, params: SearchParams): Promise<SearchResult[]> {
  const types = params.types ?? [...SEARCH_TYPES];
  const rows = await searchRecords(db, userId, { words: splitWords(params.q), types, limit: params.limit });
  return rows.map(toResult);
}
