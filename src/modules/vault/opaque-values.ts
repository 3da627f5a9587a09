import { type Kysely, sql } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

// A household's `enc:` values: sensitive values a zero-knowledge client encrypted with the
// household key and the server keeps as sent (field-values.ts). When the household key is
// rotated (keys module) every one of them is replaced by the same value under the new key.

export type OpaqueValueRef = { item_id: string; field_key: string };
export type RekeyedValue = OpaqueValueRef & { value: string };

const isOpaqueRow = sql<boolean>`value_sealed like 'enc:%'`;

/** Every `enc:` value of the household, as item and field. */
export async function listOpaqueValues(db: Kysely<DB>, householdId: string): Promise<OpaqueValueRef[]> {
  return db
    .selectFrom('item_field_values')
    .select(['item_id', 'field_key'])
    .where('household_id', '=', householdId)
    .where(isOpaqueRow)
    .orderBy('item_id')
    .orderBy('field_key')
    .execute();
}

/**
 * Replaces `enc:` values of the household by new ones (the caller checked that each names one),
 * and bumps the version of each item touched: a client holding the item as it was (old
 * ciphertext) gets a 412 on If-Match instead of writing values under the old key back.
 */
export async function rekeyOpaqueValues(db: Kysely<DB>, householdId: string, values: RekeyedValue[]): Promise<number> {
  if (values.length === 0) return 0;
  const itemIds = values.map((value) => value.item_id);
  const result = await sql`
    update item_field_values as v set value_sealed = n.value
    from unnest(${itemIds}::uuid[], ${values.map((value) => value.field_key)}::text[], ${values.map((value) => value.value)}::text[]) as n(item_id, field_key, value)
    where v.item_id = n.item_id and v.field_key = n.field_key and v.household_id = ${householdId} and v.value_sealed like 'enc:%'`.execute(db);
  await db
    .updateTable('items')
    .set({ updated_at: sql<Date>`now()` })
    .where('household_id', '=', householdId)
    .where('id', '=', sql<string>`any(${[...new Set(itemIds)]}::uuid[])`)
    .execute();
  return Number(result.numAffectedRows ?? 0n);
}
