import { type Insertable, type Kysely, sql } from 'kysely';
import { isSealedValue, type Keyring } from '../../platform/crypto/keyring.ts';
import type { DB, ItemFieldValues } from '../../platform/db/schema.ts';
import type { FieldDefinition, SubcategoryDefinition } from './categories.ts';
import { isOpaque } from './field-types.ts';
import type { FieldMap, FieldValue } from './field-validation.ts';

// Field values between their API form and their rows: one row per value, in the column of its
// type. Sensitive values are sealed with the household's server-side key (additional data
// `${itemId}:${fieldKey}`, so a sealed value copied to another item or field does not open), or
// kept as the client's opaque `enc:` string; either way only in value_sealed.

/** A stored value as the item queries aggregate it (json_agg of STORED_VALUE_JSON). */
export type StoredValue = {
  k: string;
  t: string | null;
  n: string | null;
  c: string | null;
  d: string | null;
  b: boolean | null;
  s: string | null;
  r: string | null;
};

/** The JSON object per value row the item queries aggregate; `v` is the row's alias. */
export const STORED_VALUE_JSON = sql`json_build_object('k', v.field_key, 't', v.value_text, 'n', v.value_number::text, 'c', v.value_currency,
  'd', v.value_date, 'b', v.value_bool, 's', v.value_sealed, 'r', coalesce(v.value_person, v.value_vehicle, v.value_provider))`;

/** The household's server-side key, unwrapped once per request and only when a value needs it. */
export function householdKeySource(db: Kysely<DB>, keyring: Keyring, householdId: string): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  return () => {
    key ??= db
      .selectFrom('households')
      .select('server_key')
      .where('id', '=', householdId)
      .executeTakeFirstOrThrow()
      .then((row) => keyring.unwrapHouseholdKey(row.server_key, householdId));
    return key;
  };
}

export type ValueCrypto = { keyring: Keyring; key: () => Promise<Buffer> };

const aadOf = (itemId: string, fieldKey: string) => `${itemId}:${fieldKey}`;

async function rowOf(field: FieldDefinition, value: FieldValue, itemId: string, crypto: ValueCrypto): Promise<Partial<Insertable<ItemFieldValues>>> {
  if (field.sensitive && typeof value === 'string') {
    if (isOpaque(value)) return { value_sealed: value };
    return { value_sealed: crypto.keyring.sealValue(await crypto.key(), value, aadOf(itemId, field.key)) };
  }
  if (typeof value === 'object') return { value_number: value.amount, value_currency: value.currency };
  if (typeof value === 'number') return { value_number: String(value) };
  if (typeof value === 'boolean') return { value_bool: value };
  switch (field.type) {
    case 'date':
      return { value_date: value };
    case 'person':
      return { value_person: value };
    case 'vehicle':
      return { value_vehicle: value };
    case 'provider':
      return { value_provider: value };
    default:
      return { value_text: value };
  }
}

/** The rows of an item's validated values. */
export async function encodeValues(
  definition: SubcategoryDefinition,
  values: FieldMap,
  item: { id: string; householdId: string },
  crypto: ValueCrypto,
): Promise<Insertable<ItemFieldValues>[]> {
  const rows: Insertable<ItemFieldValues>[] = [];
  for (const field of definition.fields) {
    const value = values[field.key];
    if (value === undefined) continue;
    rows.push({ item_id: item.id, household_id: item.householdId, field_key: field.key, ...(await rowOf(field, value, item.id, crypto)) });
  }
  return rows;
}

/**
 * The API form of stored values. Each row is read by the column it fills, not by today's
 * definition, so a definition that changed later never misreads an old value. `crypto`
 * undefined leaves sealed values out (lists); a tampered or misplaced envelope throws.
 */
export async function decodeValues(itemId: string, stored: StoredValue[], crypto: ValueCrypto | undefined): Promise<FieldMap> {
  const values: FieldMap = {};
  for (const row of stored) {
    if (row.s !== null) {
      if (!crypto) continue;
      values[row.k] = isSealedValue(row.s) ? crypto.keyring.openValue(await crypto.key(), row.s, aadOf(itemId, row.k)) : row.s;
    } else if (row.n !== null) {
      values[row.k] = row.c !== null ? { amount: row.n, currency: row.c } : Number(row.n);
    } else if (row.b !== null) {
      values[row.k] = row.b;
    } else {
      const text = row.t ?? row.d ?? row.r;
      if (text !== null) values[row.k] = text;
    }
  }
  return values;
}
