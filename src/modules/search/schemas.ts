import { z } from 'zod';
import { hasNoControlCharacters, queryInteger } from '../../platform/http/schemas.ts';

/** The organizer's own records, then the vault's records of the user's households. */
export const SEARCH_TYPES = [
  'todo',
  'event',
  'reminder',
  'project',
  'task',
  'person',
  'location',
  'item',
  'household_person',
  'vehicle',
  'provider',
  'saved_contact',
] as const;
export const SearchType = z.enum(SEARCH_TYPES);
export type SearchType = z.output<typeof SearchType>;

export const MAX_SEARCH_LIMIT = 100;

const typeName = `(${SEARCH_TYPES.join('|')})`;
const isSearchType = (value: string): value is SearchType => SEARCH_TYPES.some((type) => type === value);

export const SearchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(2, 'Must be at least 2 characters')
    .max(200, 'Must be at most 200 characters')
    // PostgreSQL text cannot hold NUL; control characters are refused here as in every text field.
    .refine(hasNoControlCharacters, 'Must not contain control characters')
    .meta({ description: 'Words to find (2..200 characters); the last word also matches as a prefix' }),
  types: z
    .string()
    .regex(new RegExp(`^${typeName}(,${typeName})*$`), `A comma-separated list of: ${SEARCH_TYPES.join(', ')}`)
    .transform((value) => [...new Set(value.split(',').filter(isSearchType))])
    .optional()
    .meta({ description: `Only these kinds of records, comma-separated: ${SEARCH_TYPES.join(', ')} (default all)` }),
  limit: queryInteger({ min: 1, max: MAX_SEARCH_LIMIT, default: 20 }).meta({ description: `1..${MAX_SEARCH_LIMIT}, default 20` }),
});
export type SearchParams = z.output<typeof SearchQuery>;

export const SearchResultSchema = z
  .object({
    type: SearchType,
    id: z.uuid(),
    title: z.string().meta({ description: 'The title, or the name of a project, person, location or vault record' }),
    snippet: z.string().meta({
      description:
        'The text around the matches (all of it when short) as HTML: the text escaped, each match wrapped in <mark>...</mark>; safe to insert as HTML',
    }),
    rank: z.number().meta({ description: 'Relevance; higher is better. Comparable within one response only' }),
    project_id: z.uuid().optional().meta({ description: 'Tasks only: the project it belongs to (/api/projects/{project_id}/tasks/{id})' }),
    household_id: z.uuid().optional().meta({
      description: 'Vault records only (item, household_person, vehicle, provider, saved_contact): the household it belongs to (/api/households/{household_id}/...)',
    }),
  })
  .meta({ id: 'SearchResult' });
export type SearchResult = z.output<typeof SearchResultSchema>;

export const SearchResultsSchema = z.object({ items: z.array(SearchResultSchema) }).meta({ id: 'SearchResults' });
