import type { OverrideRow } from './override-queries.ts';
import type { EventRow, Owner } from './queries.ts';
import type { EventBody, OccurrenceBody } from './schemas.ts';
import { overrideChanges, type OccurrenceTimes } from './overrides.ts';

/** How the signed-in user stands to an event. */
export type Access = {
  role: 'owner' | 'editor' | 'guest';
  status: 'pending' | 'accepted' | 'tentative' | 'declined' | null;
  canModify: boolean;
};

export const OWNER_ACCESS: Access = { role: 'owner', status: null, canModify: true };

type Invitees = EventBody['invitees'];

/**
 * The event as the user may see it. The calendar and the saved location are the owner's own
 * organisation: an invitee sees the event, not which of the owner's calendars or address-book
 * entries it sits in (the `location` text is shared).
 */
export function eventSummary(event: EventRow, owner: Owner, access: Access) {
  const isOwner = access.role === 'owner';
  return {
    id: event.id,
    calendar_id: isOwner ? event.calendar_id : null,
    title: event.title,
    description: event.description,
    location: event.location,
    location_id: isOwner ? event.location_id : null,
    start_at: event.start_at,
    end_at: event.end_at,
    all_day: event.all_day,
    timezone: event.timezone,
    rrule: event.rrule,
    version: event.version,
    created_at: event.created_at,
    updated_at: event.updated_at,
    owner,
    my_role: access.role,
    my_status: access.status,
    can_modify: access.canModify,
  };
}

export type EventSummary = ReturnType<typeof eventSummary>;

export function eventBody(event: EventRow, owner: Owner, access: Access, invitees: Invitees): EventBody {
  return { ...eventSummary(event, owner, access), invitees };
}

/**
 * One occurrence: the series' fields (its summary, built once per series and request) with this
 * occurrence's times and its own changes applied. Built field by field, not by spreading the
 * summary: a month view makes hundreds of these per request, and one object shape keeps both
 * building and serializing them fast.
 */
export function occurrenceBody(
  summary: EventSummary,
  occurrenceStart: Date,
  times: OccurrenceTimes,
  override: OverrideRow | undefined,
): OccurrenceBody {
  const recurring = summary.rrule !== null;
  const changes = override ? overrideChanges(override) : undefined;
  return {
    id: summary.id,
    calendar_id: summary.calendar_id,
    title: changes?.title ?? summary.title,
    description: changes?.description !== undefined ? changes.description : summary.description,
    location: changes?.location !== undefined ? changes.location : summary.location,
    location_id: summary.location_id,
    start_at: times.start_at,
    end_at: times.end_at,
    all_day: times.all_day,
    timezone: summary.timezone,
    rrule: summary.rrule,
    version: summary.version,
    created_at: summary.created_at,
    updated_at: summary.updated_at,
    owner: summary.owner,
    my_role: summary.my_role,
    my_status: summary.my_status,
    can_modify: summary.can_modify,
    occurrence_start: recurring ? occurrenceStart : null,
    recurring,
    is_exception: override !== undefined && !override.cancelled,
  };
}
