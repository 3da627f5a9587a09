import type { Scope } from './schemas.ts';

// The one rule book for what a signed-in user may do to an event: the permission table of API.md
// ("Invitees and the edit permission"), as a pure function. Every event route asks it first,
// before reading anything else or checking If-Match; no route decides ownership on its own.

/** owner; an invitee with can_modify (editor); an invitee without it, declined included (guest); anyone else. */
export type Role = 'owner' | 'editor' | 'guest' | 'none';

export const EVENT_FIELDS = ['calendar_id', 'title', 'description', 'location', 'location_id', 'start_at', 'end_at', 'all_day', 'timezone', 'rrule'] as const;
export type EventField = (typeof EVENT_FIELDS)[number];

/** What invited editors may change; everything else is the owner's. */
export const EDITOR_FIELDS: readonly EventField[] = ['title', 'description', 'start_at', 'end_at', 'all_day', 'location'];

export type Requested =
  | { kind: 'view' }
  | { kind: 'update'; fields: EventField[]; scope: Scope }
  | { kind: 'delete'; scope: Scope }
  /** Adding invitees, toggling their edit right, removing someone else's row. */
  | { kind: 'manage_invitees' }
  /** An invitee removing their own row. */
  | { kind: 'leave' }
  | { kind: 'respond' };

export type Decision = { allowed: true } | { allowed: false; status: 403 | 404; reason: string };

const ALLOWED: Decision = { allowed: true };

function refuse(reason: string): Decision {
  return { allowed: false, status: 403, reason };
}

/** Scope only matters on a recurring event; on a single event every scope is a plain update. */
function editorUpdate(recurring: boolean, fields: EventField[], scope: Scope): Decision {
  const refusedFields = fields.filter((field) => !EDITOR_FIELDS.includes(field));
  const problems: string[] = [];
  if (refusedFields.length > 0) problems.push(`may not change ${refusedFields.join(', ')}`);
  if (recurring && scope !== 'this') problems.push(`may not use scope ${scope} on a recurring event (only scope this)`);
  if (problems.length === 0) return ALLOWED;
  return refuse(`Invited editors ${problems.join('; and ')}`);
}

/**
 * Allowed, or why not: 404 for anyone without a relation to the event (a stranger never learns it
 * exists), 403 with the refused field or scope named for an invitee who may see but not do this.
 */
export function decide(event: { recurring: boolean }, role: Role, requested: Requested): Decision {
  if (role === 'none') return { allowed: false, status: 404, reason: 'Event not found' };
  if (role === 'owner') {
    if (requested.kind === 'leave' || requested.kind === 'respond') return refuse('The owner is not an invitee of their own event');
    return ALLOWED;
  }
  switch (requested.kind) {
    case 'view':
    case 'leave':
    case 'respond':
      return ALLOWED;
    case 'update':
      if (role === 'guest') return refuse('Only the owner and invited editors may change this event');
      return editorUpdate(event.recurring, requested.fields, requested.scope);
    case 'delete':
      return refuse('Only the owner may delete this event or its occurrences');
    case 'manage_invitees':
      return refuse('Only the owner may manage invitees');
  }
}
