import { type Kysely, sql } from 'kysely';
import type { DB, HouseholdRole } from '../../platform/db/schema.ts';

// The invitation page, before anyone signs in: the token itself is the credential (whoever holds
// the mailed link may read what the mail already told them), so this lookup is scoped by the
// token's hash, never by a user. Only an open invitation (pending, not expired) is found.

export type PageInvitation = {
  id: string;
  email: string;
  household_name: string;
  inviter_name: string | null;
  role: Exclude<HouseholdRole, 'owner'>;
  expires_at: Date;
};

export async function findOpenInvitationByTokenHash(db: Kysely<DB>, tokenHash: Buffer): Promise<PageInvitation | undefined> {
  const row = await db
    .selectFrom('household_invitations as i')
    .innerJoin('households as h', 'h.id', 'i.household_id')
    .leftJoin('users as inviter', 'inviter.id', 'i.invited_by')
    .select(['i.id', 'i.email', 'h.name as household_name', 'inviter.display_name as inviter_name', 'i.role', 'i.expires_at'])
    .where('i.token_hash', '=', tokenHash)
    .where('i.status', '=', 'pending')
    .where('i.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row || row.role === 'owner') return undefined;
  return { ...row, role: row.role };
}
