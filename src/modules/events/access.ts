import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { type EventAccessRow, findEventAccess, type Relation } from './queries.ts';
import { decide, type Requested, type Role } from './permissions.ts';
import type { Access } from './present.ts';

export function roleOf(relation: Relation | undefined): Role {
  if (!relation) return 'none';
  if (relation.isOwner) return 'owner';
  return relation.canModify ? 'editor' : 'guest';
}

export function accessOf(relation: Relation): Access {
  const role = roleOf(relation);
  return { role: role === 'none' ? 'guest' : role, status: relation.status, canModify: relation.canModify };
}

/**
 * The first step of every event route: load the event with the user's relation to it and ask
 * the permission helper whether the request is allowed. A refusal is a 404 (stranger) or a 403
 * naming what was refused, before anything is read further or written. With `lock`, the event
 * row stays locked for the caller's transaction.
 */
export async function authorize(
  db: Kysely<DB>,
  userId: string,
  eventId: string,
  requested: Requested,
  lock = false,
): Promise<EventAccessRow & { access: Access }> {
  const row = await findEventAccess(db, userId, eventId, lock);
  const decision = decide({ recurring: row?.event.rrule != null }, roleOf(row?.relation), requested);
  if (!decision.allowed) throw decision.status === 404 ? new NotFoundError(decision.reason) : new ForbiddenError(decision.reason);
  // Unreachable after the helper's 404 for a missing relation; kept for the type.
  if (!row) throw new NotFoundError('Event not found');
  return { ...row, access: accessOf(row.relation) };
}
