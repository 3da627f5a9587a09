import type { Kysely } from 'kysely';
import type { Keyring } from '../../platform/crypto/keyring.ts';
import type { DB } from '../../platform/db/schema.ts';
import { findSubcategory } from './categories.ts';
import { listCoverageSummary } from './coverage-queries.ts';
import type { FieldMap } from './field-validation.ts';
import { decodeValues, householdKeySource, type ValueCrypto } from './field-values.ts';
import type { ItemRow } from './item-queries.ts';

// Item rows as the API shows them: list form (no sensitive value, no coverage) and the form of
// one item (sensitive values opened, coverage on insurance items).

export type Item = {
  id: string;
  category: string;
  subcategory: string;
  name: string;
  notes: string | null;
  fields: FieldMap;
  created_by: { id: string; display_name: string } | null;
  file_count: number;
  version: number;
  created_at: Date;
  updated_at: Date;
};

export type ItemDetail = Item & { coverage: Awaited<ReturnType<typeof listCoverageSummary>> | null };

/** Sensitive keys as today's definition marks them, dropped from lists even if stored in the clear. */
function withoutSensitive(row: ItemRow, fields: FieldMap): FieldMap {
  const definition = findSubcategory(row.category, row.subcategory);
  const sensitive = new Set(definition?.fields.filter((field) => field.sensitive).map((field) => field.key));
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !sensitive.has(key)));
}

function base(row: ItemRow, fields: FieldMap): Item {
  return {
    id: row.id,
    category: row.category,
    subcategory: row.subcategory,
    name: row.name,
    notes: row.notes,
    fields,
    created_by: row.created_by_id !== null && row.created_by_name !== null ? { id: row.created_by_id, display_name: row.created_by_name } : null,
    file_count: row.file_count,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function presentListItem(row: ItemRow): Promise<Item> {
  return base(row, withoutSensitive(row, await decodeValues(row.id, row.values, undefined)));
}

export function valueCrypto(db: Kysely<DB>, keyring: Keyring, householdId: string): ValueCrypto {
  return { keyring, key: householdKeySource(db, keyring, householdId) };
}

export async function presentItem(db: Kysely<DB>, crypto: ValueCrypto, row: ItemRow): Promise<ItemDetail> {
  const fields = await decodeValues(row.id, row.values, crypto);
  const coverage = row.category === 'insurance' ? await listCoverageSummary(db, row.household_id, row.id) : null;
  return { ...base(row, fields), coverage };
}
