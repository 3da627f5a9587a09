import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ConflictError, invalidField, NotFoundError } from '../../platform/http/errors.ts';
import { insertHistory } from './history-queries.ts';
import { deleteInvitee, findInvitee, type InviteeEntry, insertInvitee, setInviteeCanModify, setInviteeStatus } from './invitee-queries.ts';
import { findUserByEmail } from '../auth/index.ts';
import { diffFields } from './changes.ts';

// Writes to an event's invitee list, each with its history entry in the same transaction. The
// permission helper has already decided that the actor may do this.

type Sharing = { trx: Kysely<DB>; actorId: string; eventId: string; ownerId: string };
const INVITEE_FIELDS = ['status', 'can_modify'];

async function requireInvitee(trx: Kysely<DB>, eventId: string, userId: string): Promise<InviteeEntry> {
  const invitee = await findInvitee(trx, eventId, userId);
  if (!invitee) throw new NotFoundError('No such invitee on this event');
  return invitee;
}

async function record(sharing: Sharing, inviteeId: string, action: 'invitee_added' | 'invitee_removed' | 'permission_changed' | 'responded', before: object, after: object) {
  const changes = diffFields({ ...before }, { ...after }, INVITEE_FIELDS);
  await insertHistory(sharing.trx, { eventId: sharing.eventId, actorId: sharing.actorId, inviteeId, action, changes, scope: null, occurrence_start: null });
}

export async function addInvitee(sharing: Sharing, email: string, canModify: boolean): Promise<InviteeEntry> {
  const { trx, eventId } = sharing;
  const user = await findUserByEmail(trx, email);
  if (!user) throw new NotFoundError('No user with this email');
  if (user.id === sharing.ownerId) throw invalidField('email', 'You cannot invite yourself');
  if (!(await insertInvitee(trx, eventId, user.id, canModify))) throw new ConflictError('This user is already invited');
  const invitee = await requireInvitee(trx, eventId, user.id);
  await record(sharing, user.id, 'invitee_added', {}, invitee);
  return invitee;
}

/** The owner's toggle. A declined invitee gets the right only after accepting again. */
export async function toggleInvitee(sharing: Sharing, userId: string, canModify: boolean): Promise<InviteeEntry> {
  const { trx, eventId } = sharing;
  const before = await requireInvitee(trx, eventId, userId);
  if (canModify && before.status === 'declined') throw new ConflictError('This invitee declined; they can be allowed to edit once they accept again');
  if (before.can_modify === canModify) return before;
  await setInviteeCanModify(trx, eventId, userId, canModify);
  const after = await requireInvitee(trx, eventId, userId);
  await record(sharing, userId, 'permission_changed', before, after);
  return after;
}

/** The owner removing someone, or an invitee leaving. */
export async function removeInvitee(sharing: Sharing, userId: string): Promise<void> {
  const before = await requireInvitee(sharing.trx, sharing.eventId, userId);
  await deleteInvitee(sharing.trx, sharing.eventId, userId);
  await record(sharing, userId, 'invitee_removed', before, {});
}

/** Declining resets can_modify; accepting again never restores it. */
export async function respond(sharing: Sharing, status: 'accepted' | 'declined' | 'tentative'): Promise<InviteeEntry> {
  const { trx, eventId, actorId } = sharing;
  const before = await requireInvitee(trx, eventId, actorId);
  await setInviteeStatus(trx, eventId, actorId, status);
  const after = await requireInvitee(trx, eventId, actorId);
  await record(sharing, actorId, 'responded', before, after);
  return after;
}
