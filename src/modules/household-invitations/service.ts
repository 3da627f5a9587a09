import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { recordHouseholdAudit } from '../../platform/audit/record-audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { ConflictError, NotFoundError } from '../../platform/http/errors.ts';
import { addMember, findHousehold, findRole, type HouseholdAccess, type HouseholdRow } from '../households/index.ts';
import type { InvitationMailParams } from './invitation-mail.ts';
import { findOpenInvitation, lockHousehold, type OpenInvitation } from './invitee-queries.ts';
import { closeInvitation, findInvitation, hasOpenInvitation, insertInvitation, type InvitationRow, isMemberByEmail, settleExpired } from './queries.ts';
import { invitationToken, tokenHash } from './token.ts';

export type InvitationContext = {
  tokenSecret: Buffer;
  /** Queues the invitation mail in the same transaction (the outbox). */
  sendMail: (trx: Transaction<DB>, recipient: string, params: InvitationMailParams) => Promise<void>;
};

/**
 * Invites an email into the household: the invitation, its audit entry and its mail are one
 * transaction. The caller holds the household's membership lock (requireHousehold 'update'), so
 * two invitations to one email at once cannot both pass the checks.
 */
export async function createInvitation(
  trx: Transaction<DB>,
  context: InvitationContext,
  access: HouseholdAccess,
  body: { email: string; role: OpenInvitation['role'] },
): Promise<InvitationRow> {
  const { householdId, userId } = access;
  if (await isMemberByEmail(trx, householdId, body.email)) throw new ConflictError('That email already belongs to a member of this household');
  if (await hasOpenInvitation(trx, householdId, body.email)) throw new ConflictError('That email already has a pending invitation to this household');
  await settleExpired(trx, householdId, body.email);

  const id = randomUUID();
  await insertInvitation(trx, { id, household_id: householdId, email: body.email, role: body.role, token_hash: tokenHash(invitationToken(context.tokenSecret, id)), invited_by: userId });
  await recordHouseholdAudit(trx, {
    householdId,
    actorId: userId,
    action: 'member.invited',
    target: { type: 'invitation', id },
    details: { email: body.email, role: body.role },
  });
  const invitation = await findInvitation(trx, householdId, id);
  const household = await findHousehold(trx, userId, householdId);
  if (!invitation || !household) throw new Error('an invitation just created is not readable');
  await context.sendMail(trx, body.email, {
    invitation_id: id,
    household_name: household.name,
    inviter_name: invitation.invited_by?.display_name ?? null,
    role: body.role,
    expires_at: invitation.expires_at.toISOString(),
  });
  return invitation;
}

/** Revokes a pending invitation: 404 when it is not the household's, 409 when no longer pending. */
export async function revokeInvitation(trx: Transaction<DB>, access: HouseholdAccess, id: string): Promise<void> {
  const invitation = await findInvitation(trx, access.householdId, id);
  if (!invitation) throw new NotFoundError('Invitation not found');
  if (!(await closeInvitation(trx, id, 'revoked', access.userId))) throw new ConflictError(`Only a pending invitation can be revoked; this one is ${invitation.status}`);
  await recordHouseholdAudit(trx, {
    householdId: access.householdId,
    actorId: access.userId,
    action: 'invitation.revoked',
    target: { type: 'invitation', id },
    details: { email: invitation.email, role: invitation.role },
  });
}

// For the invitee, anything but an open invitation addressed to them is the same 404: expired,
// used, revoked, declined, someone else's, or never there.
const notFound = () => new NotFoundError('Invitation not found');

/** The open invitation, locked, behind the lock of its household (the order every membership change takes). */
async function lockOpenInvitation(trx: Transaction<DB>, userId: string, by: { id: string } | { tokenHash: Buffer }): Promise<OpenInvitation> {
  const seen = await findOpenInvitation(trx, userId, by);
  if (!seen || !(await lockHousehold(trx, seen.household_id))) throw notFound();
  const invitation = await findOpenInvitation(trx, userId, { id: seen.id }, true);
  if (!invitation) throw notFound();
  return invitation;
}

/** Accepts: the membership with the invitation's role, and member.joined, in one transaction. */
export async function acceptInvitation(trx: Transaction<DB>, userId: string, by: { id: string } | { token: string }): Promise<HouseholdRow> {
  const invitation = await lockOpenInvitation(trx, userId, 'id' in by ? by : { tokenHash: tokenHash(by.token) });
  if ((await findRole(trx, invitation.household_id, userId)) !== undefined) throw new ConflictError('You are already a member of this household');
  await closeInvitation(trx, invitation.id, 'accepted', userId);
  await addMember(trx, invitation.household_id, userId, invitation.role);
  await recordHouseholdAudit(trx, {
    householdId: invitation.household_id,
    actorId: userId,
    action: 'member.joined',
    target: { type: 'member', id: userId },
    details: { role: invitation.role, invitation_id: invitation.id },
  });
  const household = await findHousehold(trx, userId, invitation.household_id);
  if (!household) throw new Error('a household just joined is not readable');
  return household;
}

export async function declineInvitation(trx: Transaction<DB>, userId: string, id: string): Promise<void> {
  const invitation = await lockOpenInvitation(trx, userId, { id });
  await closeInvitation(trx, invitation.id, 'declined', userId);
  await recordHouseholdAudit(trx, {
    householdId: invitation.household_id,
    actorId: userId,
    action: 'invitation.declined',
    target: { type: 'invitation', id: invitation.id },
    details: { email: invitation.email, role: invitation.role },
  });
}
