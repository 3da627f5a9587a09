import { type Kysely, sql } from 'kysely';
import type { DB, HouseholdRole } from '../../platform/db/schema.ts';

// The invitee's side: invitations addressed to the signed-in user's email (any case), looked up
// through their account in SQL, so nobody reaches an invitation addressed to someone else.

export type InboxRow = {
  id: string;
  household: { id: string; name: string };
  role: Exclude<HouseholdRole, 'owner'>;
  invited_by: { id: string; display_name: string } | null;
  expires_at: Date;
};

function openForUser(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('household_invitations as i')
    .innerJoin('users as me', (join) => join.on('me.id', '=', userId).on(sql<boolean>`lower(me.email) = lower(i.email)`))
    .where('i.status', '=', 'pending')
    .where('i.expires_at', '>', sql<Date>`now()`);
}

/** Pending invitations to your email, soonest to expire first. */
export async function listInbox(db: Kysely<DB>, userId: string): Promise<InboxRow[]> {
  const rows = await openForUser(db, userId)
    .innerJoin('households as h', 'h.id', 'i.household_id')
    .leftJoin('users as inviter', 'inviter.id', 'i.invited_by')
    .select(['i.id', 'h.id as household_id', 'h.name as household_name', 'i.role', 'inviter.id as inviter_id', 'inviter.display_name as inviter_name', 'i.expires_at'])
    .orderBy('i.expires_at')
    .orderBy('i.id')
    .execute();
  return rows.flatMap((row) =>
    row.role === 'owner'
      ? []
      : [
          {
            id: row.id,
            household: { id: row.household_id, name: row.household_name },
            role: row.role,
            invited_by: row.inviter_id !== null && row.inviter_name !== null ? { id: row.inviter_id, display_name: row.inviter_name } : null,
            expires_at: row.expires_at,
          },
        ],
  );
}

export type OpenInvitation = { id: string; household_id: string; email: string; role: Exclude<HouseholdRole, 'owner'> };

/**
 * One open invitation to the user, by id or by the hash of its token. `lock` holds it until the
 * transaction ends, so of two accepts at once the second finds it no longer open.
 */
export async function findOpenInvitation(
  db: Kysely<DB>,
  userId: string,
  by: { id: string } | { tokenHash: Buffer },
  lock = false,
): Promise<OpenInvitation | undefined> {
  let query = openForUser(db, userId).select(['i.id', 'i.household_id', 'i.email', 'i.role']);
  query = 'id' in by ? query.where('i.id', '=', by.id) : query.where('i.token_hash', '=', by.tokenHash);
  const row = await (lock ? query.forUpdate('i') : query).executeTakeFirst();
  if (!row || row.role === 'owner') return undefined;
  return { id: row.id, household_id: row.household_id, email: row.email, role: row.role };
}

/** Locks the household row first, as every membership change does, so lock order never crosses. */
export async function lockHousehold(db: Kysely<DB>, householdId: string): Promise<boolean> {
  return (await db.selectFrom('households').select('id').where('id', '=', householdId).forUpdate().executeTakeFirst()) !== undefined;
}
