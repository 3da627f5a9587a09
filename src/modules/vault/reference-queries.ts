import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldIssue } from '../../platform/http/errors.ts';
import { REFERENCE_TYPES, type ReferenceType, type SubcategoryDefinition } from './categories.ts';
import type { FieldMap } from './field-validation.ts';

// References from item fields to the household's people, vehicles and providers, checked with
// the vault's own SQL on those tables (the household-records module sits above this one and
// uses it, so this module never imports it). A record of another household, or none at all,
// is the same 400: nothing tells a member what other households hold.

const TABLES = { person: 'household_people', vehicle: 'vehicles', provider: 'providers' } as const satisfies Record<ReferenceType, keyof DB>;
const WORDS: Record<ReferenceType, string> = { person: 'a person', vehicle: 'a vehicle', provider: 'a provider' };

function isReference(type: string): type is ReferenceType {
  return REFERENCE_TYPES.some((reference) => reference === type);
}

/** The issues of reference fields whose id is not a record of that kind in this household. */
export async function referenceIssues(db: Kysely<DB>, householdId: string, definition: SubcategoryDefinition, values: FieldMap): Promise<FieldIssue[]> {
  const references = definition.fields.flatMap((field) => {
    const id = values[field.key];
    return isReference(field.type) && typeof id === 'string' ? [{ key: field.key, type: field.type, id }] : [];
  });
  if (references.length === 0) return [];
  const queries = REFERENCE_TYPES.flatMap((type) => {
    const ids = [...new Set(references.filter((reference) => reference.type === type).map((reference) => reference.id))];
    if (ids.length === 0) return [];
    return [db.selectFrom(TABLES[type]).select([sql<string>`${type}::text`.as('type'), 'id']).where('household_id', '=', householdId).where('id', 'in', ids)];
  });
  const [first, ...rest] = queries;
  if (!first) return [];
  const found = await rest.reduce((union, query) => union.unionAll(query), first).execute();
  const known = new Set(found.map((row) => `${row.type}:${row.id}`));
  return references
    .filter((reference) => !known.has(`${reference.type}:${reference.id}`))
    .map((reference) => ({ path: `fields.${reference.key}`, message: `Not ${WORDS[reference.type]} of this household` }));
}
