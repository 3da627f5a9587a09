import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ConflictError, NotFoundError } from '../../platform/http/errors.ts';
import { requireHouseholdFor } from '../households/index.ts';
import type { ItemOwner } from './coverage-queries.ts';

export type Purpose = 'read' | 'create' | 'write';

/**
 * Records that hang off one item (contacts, coverage): the household first (404 for strangers,
 * 403 for a viewer's write), then the item within it (404), then, for coverage, its category.
 */
export async function resolveItem(db: Kysely<DB>, userId: string, params: { hid: string; id: string }, purpose: Purpose, onlyInsurance: boolean): Promise<ItemOwner> {
  const access = await requireHouseholdFor(db, userId, params.hid, purpose);
  const item = await db.selectFrom('items').select('category').where('id', '=', params.id).where('household_id', '=', access.householdId).executeTakeFirst();
  if (!item) throw new NotFoundError('Item not found');
  if (onlyInsurance && item.category !== 'insurance') throw new ConflictError(`Coverage exists only on insurance items; this item is ${item.category}`);
  return { householdId: access.householdId, itemId: params.id, userId: access.userId };
}
