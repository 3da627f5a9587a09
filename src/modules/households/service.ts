import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordHouseholdAudit } from '../../platform/audit/record-audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { decideRemoval, decideRoleChange, type HouseholdRole } from './access.ts';
import { activateIfNone, deleteMember, findMember, type MemberRow, reassignActiveHouseholds, updateMemberRole } from './member-queries.ts';
import { findHousehold, type HouseholdRow, insertHousehold, insertMember } from './queries.ts';
import { enforce, type HouseholdAccess } from './resolve.ts';

/** Wraps a new server-side household key for a household id (the keyring's job). */
export type NewServerKey = (householdId: string) => string;

/**
 * A new household with its owner, its server-side key and its first audit entry; it becomes the
 * owner's active household when they had none. Run inside the caller's transaction.
 */
export async function createHousehold(db: Kysely<DB>, newServerKey: NewServerKey, ownerId: string, name: string): Promise<HouseholdRow> {
  const id = randomUUID();
  await insertHousehold(db, { id, name, server_key: newServerKey(id) });
  await insertMember(db, { household_id: id, user_id: ownerId, role: 'owner' });
  await activateIfNone(db, ownerId, id);
  await recordHouseholdAudit(db, { householdId: id, actorId: ownerId, action: 'household.created', target: { type: 'household', id }, details: { name } });
  const created = await findHousehold(db, ownerId, id);
  if (!created) throw new Error('a household just created is not readable');
  return created;
}

/** Adds a member (an accepted invitation); their active household when they had none. */
export async function addMember(db: Kysely<DB>, householdId: string, userId: string, role: Exclude<HouseholdRole, 'owner'>): Promise<void> {
  await insertMember(db, { household_id: householdId, user_id: userId, role });
  await activateIfNone(db, userId, householdId);
}

async function requireMember(db: Kysely<DB>, householdId: string, userId: string): Promise<MemberRow> {
  const member = await findMember(db, householdId, userId);
  if (!member) throw new NotFoundError('Member not found');
  return member;
}

/**
 * Sets a member's role, as the access helper allows. Making someone `owner` transfers ownership:
 * the old owner becomes admin (demoted first, so the one-owner index never sees two). The caller
 * holds the household's membership lock (requireHousehold with 'update').
 */
export async function changeRole(db: Kysely<DB>, actor: HouseholdAccess, targetId: string, role: HouseholdRole): Promise<MemberRow> {
  const target = await requireMember(db, actor.householdId, targetId);
  enforce(decideRoleChange(actor.role, { role: target.role, isSelf: targetId === actor.userId }, role));
  if (target.role === role) return target;
  const audit = (userId: string, from: HouseholdRole, to: HouseholdRole) =>
    recordHouseholdAudit(db, {
      householdId: actor.householdId,
      actorId: actor.userId,
      action: 'member.role_changed',
      target: { type: 'member', id: userId },
      details: { from, to },
    });
  if (role === 'owner') {
    await updateMemberRole(db, actor.householdId, actor.userId, 'admin');
    await audit(actor.userId, 'owner', 'admin');
  }
  await updateMemberRole(db, actor.householdId, targetId, role);
  await audit(targetId, target.role, role);
  return requireMember(db, actor.householdId, targetId);
}

/** Removes a member, or lets one leave; their active household moves to another of theirs. */
export async function removeMember(db: Kysely<DB>, actor: HouseholdAccess, targetId: string): Promise<void> {
  const target = await requireMember(db, actor.householdId, targetId);
  const leaving = targetId === actor.userId;
  enforce(decideRemoval(actor.role, { role: target.role, isSelf: leaving }));
  await deleteMember(db, actor.householdId, targetId);
  await reassignActiveHouseholds(db, [targetId]);
  await recordHouseholdAudit(db, {
    householdId: actor.householdId,
    actorId: actor.userId,
    action: leaving ? 'member.left' : 'member.removed',
    target: { type: 'member', id: targetId },
    details: { role: target.role },
  });
}
