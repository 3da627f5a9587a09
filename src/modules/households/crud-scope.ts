import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { CrudScope } from '../../platform/crud/crud-routes.ts';
import type { DB } from '../../platform/db/schema.ts';
import { type HouseholdAccess, requireHousehold } from './resolve.ts';
import { HouseholdParams, HouseholdRecordParams } from './schemas.ts';

type Purpose = 'read' | 'create' | 'write';

/**
 * The resolver for a CRUD route's purpose: reads need 'read'; creates, updates and deletes need
 * 'write' and run inside the write's transaction, holding the membership ('share') until commit.
 */
export function requireHouseholdFor(db: Kysely<DB>, userId: string, householdId: string, purpose: Purpose): Promise<HouseholdAccess> {
  return purpose === 'read' ? requireHousehold(db, userId, householdId, 'read') : requireHousehold(db, userId, householdId, 'write', 'share');
}

/** Records of a household, as `/api/households/{hid}/<records>` and `.../{id}`: the CRUD kit's scope. */
export const householdScope: CrudScope<HouseholdAccess, z.output<typeof HouseholdParams>, z.output<typeof HouseholdRecordParams>> = {
  parent: 'Household',
  params: HouseholdParams,
  itemUrl: '/:id',
  itemParams: HouseholdRecordParams,
  itemId: (params) => params.id,
  owner: (db, userId, params, purpose) => requireHouseholdFor(db, userId, params.hid, purpose),
};
