import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { DB, EventOverrides } from '../../platform/db/schema.ts';

export type OverrideRow = Selectable<EventOverrides>;
export type NewOverride = Insertable<EventOverrides>;

// Overrides are reached only through an event the caller was already allowed to use.

export async function listOverrides(db: Kysely<DB>, eventId: string): Promise<OverrideRow[]> {
  return db.selectFrom('event_overrides').selectAll().where('event_id', '=', eventId).orderBy('occurrence_start').execute();
}

/**
 * The overrides of these series a range query needs: those of occurrences that start in the
 * searched window, and moved ones whose new times overlap the window from elsewhere.
 */
export async function listOverridesInRange(db: Kysely<DB>, eventIds: string[], search: { from: Date; to: Date }, range: { from: Date; to: Date }): Promise<OverrideRow[]> {
  if (eventIds.length === 0) return [];
  return db
    .selectFrom('event_overrides')
    .selectAll()
    // One array parameter, not one parameter per series (a month view names about 200).
    .where('event_id', '=', sql<string>`any(${eventIds}::uuid[])`)
    .where((eb) =>
      eb.or([
        eb.and([eb('occurrence_start', '>=', search.from), eb('occurrence_start', '<', search.to)]),
        eb.and([eb('start_at', '<', range.to), eb('end_at', '>=', range.from)]),
      ]),
    )
    .execute();
}

/** Creates or replaces the override of one occurrence. */
export async function upsertOverride(db: Kysely<DB>, values: NewOverride): Promise<void> {
  await db
    .insertInto('event_overrides')
    .values(values)
    .onConflict((conflict) =>
      conflict.columns(['event_id', 'occurrence_start']).doUpdateSet((eb) => ({
        cancelled: eb.ref('excluded.cancelled'),
        changes: eb.ref('excluded.changes'),
        start_at: eb.ref('excluded.start_at'),
        end_at: eb.ref('excluded.end_at'),
        all_day: eb.ref('excluded.all_day'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export async function deleteOverrides(db: Kysely<DB>, eventId: string, occurrenceStarts: Date[]): Promise<void> {
  if (occurrenceStarts.length === 0) return;
  await db.deleteFrom('event_overrides').where('event_id', '=', eventId).where('occurrence_start', 'in', occurrenceStarts).execute();
}

/** Hands the overrides at or after `from` to another series (a `following` split). */
export async function moveOverrides(db: Kysely<DB>, fromEventId: string, toEventId: string, from: Date): Promise<void> {
  await db
    .updateTable('event_overrides')
    .set({ event_id: toEventId, updated_at: sql<Date>`now()` })
    .where('event_id', '=', fromEventId)
    .where('occurrence_start', '>=', from)
    .execute();
}
