import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { WriteRecord } from './changes.ts';

export type HistoryEntry = WriteRecord & { eventId: string; actorId: string; inviteeId?: string | undefined };

/** Written in the transaction of the change it records. */
export async function insertHistory(db: Kysely<DB>, entry: HistoryEntry): Promise<void> {
  await db
    .insertInto('event_history')
    .values({
      event_id: entry.eventId,
      actor_id: entry.actorId,
      invitee_id: entry.inviteeId ?? null,
      action: entry.action,
      changes: entry.changes,
      scope: entry.scope,
      occurrence_start: entry.occurrence_start,
    })
    .execute();
}

/** Newest first. */
export async function listHistory(db: Kysely<DB>, eventId: string) {
  return db
    .selectFrom('event_history as h')
    .leftJoin('users as actor', 'actor.id', 'h.actor_id')
    .leftJoin('users as invitee', 'invitee.id', 'h.invitee_id')
    .select([
      'h.id',
      'h.action',
      'h.changes',
      'h.scope',
      'h.occurrence_start',
      'h.at',
      'actor.id as actor_id',
      'actor.display_name as actor_name',
      'invitee.id as invitee_id',
      'invitee.display_name as invitee_name',
    ])
    .where('h.event_id', '=', eventId)
    .orderBy('h.at', 'desc')
    .orderBy('h.seq', 'desc')
    .execute();
}
