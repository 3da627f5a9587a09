import type { Kysely, Selectable } from 'kysely';
import type { DB, EventInvitees, InviteeStatus } from '../../platform/db/schema.ts';

export type InviteeRow = Selectable<EventInvitees>;
/** An invitee row with the invited user's public name, as the invitee list shows it. */
export type InviteeEntry = Omit<InviteeRow, 'event_id'> & { email: string; display_name: string };

// Reached only through an event the permission helper already let the caller use.

export async function listInvitees(db: Kysely<DB>, eventId: string): Promise<InviteeEntry[]> {
  return db
    .selectFrom('event_invitees as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .select(['i.user_id', 'u.email', 'u.display_name', 'i.status', 'i.can_modify', 'i.invited_at', 'i.responded_at'])
    .where('i.event_id', '=', eventId)
    .orderBy('i.invited_at')
    .orderBy('i.user_id')
    .execute();
}

export async function findInvitee(db: Kysely<DB>, eventId: string, userId: string): Promise<InviteeEntry | undefined> {
  return db
    .selectFrom('event_invitees as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .select(['i.user_id', 'u.email', 'u.display_name', 'i.status', 'i.can_modify', 'i.invited_at', 'i.responded_at'])
    .where('i.event_id', '=', eventId)
    .where('i.user_id', '=', userId)
    .executeTakeFirst();
}

/** Adds an invitee; false when they already are one. */
export async function insertInvitee(db: Kysely<DB>, eventId: string, userId: string, canModify: boolean): Promise<boolean> {
  const result = await db
    .insertInto('event_invitees')
    .values({ event_id: eventId, user_id: userId, can_modify: canModify })
    .onConflict((conflict) => conflict.columns(['event_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function setInviteeCanModify(db: Kysely<DB>, eventId: string, userId: string, canModify: boolean): Promise<void> {
  await db.updateTable('event_invitees').set({ can_modify: canModify }).where('event_id', '=', eventId).where('user_id', '=', userId).execute();
}

/** Records a response; declining also takes the edit right away. */
export async function setInviteeStatus(db: Kysely<DB>, eventId: string, userId: string, status: InviteeStatus): Promise<void> {
  await db
    .updateTable('event_invitees')
    .set((eb) => ({
      status,
      responded_at: new Date(),
      can_modify: status === 'declined' ? false : eb.ref('can_modify'),
    }))
    .where('event_id', '=', eventId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteInvitee(db: Kysely<DB>, eventId: string, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('event_invitees').where('event_id', '=', eventId).where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A `following` split shares the new series with the same people, answers and rights. */
export async function copyInvitees(db: Kysely<DB>, fromEventId: string, toEventId: string): Promise<void> {
  await db
    .insertInto('event_invitees')
    .columns(['event_id', 'user_id', 'status', 'can_modify', 'invited_at', 'responded_at'])
    .expression((eb) =>
      eb
        .selectFrom('event_invitees')
        .select((inner) => [inner.val(toEventId).as('event_id'), 'user_id', 'status', 'can_modify', 'invited_at', 'responded_at'])
        .where('event_id', '=', fromEventId),
    )
    .execute();
}

/** Invitations the user has not answered yet (the inbox's ?status=pending, counted). */
export async function countPendingInvitations(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('event_invitees')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.count ?? 0;
}
