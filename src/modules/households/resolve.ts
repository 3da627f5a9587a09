import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { type Decision, decide, type HouseholdAction, type HouseholdRole } from './access.ts';
import { findRole } from './queries.ts';

/** Who is acting on which household, as the resolver established it. */
export type HouseholdAccess = { householdId: string; userId: string; role: HouseholdRole };

/** Turns a refusal of the access helper into its HTTP error: 404 for strangers, 403 or 409. */
export function enforce(decision: Decision): void {
  if (decision.allowed) return;
  if (decision.status === 404) throw new NotFoundError(decision.reason);
  if (decision.status === 409) throw new ConflictError(decision.reason);
  throw new ForbiddenError(decision.reason);
}

/**
 * The first call of every household route: the signed-in user's role in `{hid}` (one indexed
 * lookup), decided by the access helper for `action`. A stranger gets 404, a member without the
 * right 403 naming the action. Inside a write's transaction pass `lock` ('share' for vault
 * writes, 'update' for membership changes), so the membership the decision rests on cannot
 * change before the write commits.
 */
export async function requireHousehold(
  db: Kysely<DB>,
  userId: string,
  householdId: string,
  action: HouseholdAction,
  lock?: 'share' | 'update',
): Promise<HouseholdAccess> {
  const role = (await findRole(db, householdId, userId, lock)) ?? null;
  enforce(decide(role, action));
  if (role === null) throw new NotFoundError('Household not found');
  return { householdId, userId, role };
}
