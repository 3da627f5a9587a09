import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Page } from '../../platform/crud/pagination.ts';
import type { DB, HouseholdInvitationStatus, HouseholdRole } from '../../platform/db/schema.ts';
import type { InvitationListParams } from './schemas.ts';

// Invitations of a household (scoped by its id, which the resolver checked) and of an invitee
// (scoped by the signed-in user's email, looked up in SQL). "expired" is computed here: a pending
// invitation past expires_at, whatever its stored status says.

export const INVITATION_DAYS = 7;

type InvitableRole = Exclude<HouseholdRole, 'owner'>;

export type InvitationRow = {
  id: string;
  email: string;
  role: InvitableRole;
  status: HouseholdInvitationStatus;
  invited_by: { id: string; display_name: string } | null;
  created_at: Date;
  expires_at: Date;
};

const effectiveStatus = sql<HouseholdInvitationStatus>`case when i.status = 'pending' and i.expires_at <= now() then 'expired'::household_invitation_status else i.status end`;

/** Still open: pending and not expired. */
const isOpen = (eb: ExpressionBuilder<DB & { i: DB['household_invitations'] }, 'i'>) =>
  eb.and([eb('i.status', '=', 'pending'), eb('i.expires_at', '>', sql<Date>`now()`)]);

function invitationsOf(db: Kysely<DB>, householdId: string) {
  return db.selectFrom('household_invitations as i').where('i.household_id', '=', householdId);
}

function withColumns(query: ReturnType<typeof invitationsOf>) {
  return query
    .leftJoin('users as inviter', 'inviter.id', 'i.invited_by')
    .select(['i.id', 'i.email', 'i.role', effectiveStatus.as('status'), 'i.created_at', 'i.expires_at', 'inviter.id as inviter_id', 'inviter.display_name as inviter_name']);
}

type SelectedRow = { id: string; email: string; role: HouseholdRole; status: HouseholdInvitationStatus; created_at: Date; expires_at: Date; inviter_id: string | null; inviter_name: string | null };

function present(row: SelectedRow): InvitationRow {
  if (row.role === 'owner') throw new Error('an invitation with the owner role exists');
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: row.status,
    invited_by: row.inviter_id !== null && row.inviter_name !== null ? { id: row.inviter_id, display_name: row.inviter_name } : null,
    created_at: row.created_at,
    expires_at: row.expires_at,
  };
}

/** The household's invitations, newest first, optionally in one (computed) status. */
export async function listInvitations(db: Kysely<DB>, householdId: string, params: InvitationListParams): Promise<Page<InvitationRow>> {
  let filtered = invitationsOf(db, householdId);
  if (params.status) filtered = filtered.where(sql<boolean>`${effectiveStatus} = ${params.status}::household_invitation_status`);
  const [rows, counted] = await Promise.all([
    withColumns(filtered).orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(params.limit).offset(params.offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(present), total: counted.total, limit: params.limit, offset: params.offset };
}

export async function findInvitation(db: Kysely<DB>, householdId: string, id: string): Promise<InvitationRow | undefined> {
  const row = await withColumns(invitationsOf(db, householdId).where('i.id', '=', id)).executeTakeFirst();
  return row ? present(row) : undefined;
}

/** Whether an account with this email (any case) belongs to the household. */
export async function isMemberByEmail(db: Kysely<DB>, householdId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('household_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('m.user_id')
    .where('m.household_id', '=', householdId)
    .where(sql<boolean>`lower(u.email) = lower(${email})`)
    .executeTakeFirst();
  return row !== undefined;
}

export async function hasOpenInvitation(db: Kysely<DB>, householdId: string, email: string): Promise<boolean> {
  const row = await invitationsOf(db, householdId).select('i.id').where(sql<boolean>`lower(i.email) = lower(${email})`).where(isOpen).executeTakeFirst();
  return row !== undefined;
}

/** Stores "expired" on pending invitations to this email past their expiry, so a new one may be pending. */
export async function settleExpired(db: Kysely<DB>, householdId: string, email: string): Promise<void> {
  await db
    .updateTable('household_invitations')
    .set({ status: 'expired' })
    .where('household_id', '=', householdId)
    .where(sql<boolean>`lower(email) = lower(${email})`)
    .where('status', '=', 'pending')
    .where('expires_at', '<=', sql<Date>`now()`)
    .execute();
}

export async function insertInvitation(
  db: Kysely<DB>,
  values: { id: string; household_id: string; email: string; role: InvitableRole; token_hash: Buffer; invited_by: string },
): Promise<void> {
  await db
    .insertInto('household_invitations')
    .values({ ...values, expires_at: sql<Date>`now() + make_interval(days => ${INVITATION_DAYS})` })
    .execute();
}

/** Ends an open invitation (accepted, declined, revoked); false when it was not open. */
export async function closeInvitation(
  db: Kysely<DB>,
  id: string,
  status: 'accepted' | 'declined' | 'revoked',
  by: string,
): Promise<boolean> {
  const result = await db
    .updateTable('household_invitations as i')
    .set({ status, responded_at: sql<Date>`now()`, responded_by: by })
    .where('i.id', '=', id)
    .where(isOpen)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
