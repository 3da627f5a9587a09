import { z } from 'zod';
import { CalendarDate, Instant, QueryBoolean, queryInteger, text, TimeZone, Uuid } from '../../platform/http/schemas.ts';

export const Role = z.enum(['owner', 'editor', 'guest']);
export const InviteeStatus = z.enum(['pending', 'accepted', 'tentative', 'declined']);
export const Scope = z.enum(['this', 'following', 'all']);
export type Scope = z.output<typeof Scope>;

export const InviteeSchema = z
  .object({
    user_id: z.uuid(),
    email: z.string(),
    display_name: z.string(),
    status: InviteeStatus,
    can_modify: z.boolean(),
    invited_at: z.date(),
    responded_at: z.date().nullable(),
  })
  .meta({ id: 'Invitee' });

const eventFields = {
  id: z.uuid(),
  calendar_id: z.uuid().nullable().meta({ description: "The owner's calendar; null for invitees (it is the owner's private organisation)" }),
  title: z.string(),
  description: z.string().nullable(),
  location: z.string().nullable(),
  location_id: z.uuid().nullable().meta({ description: "One of the owner's locations; null for invitees" }),
  start_at: z.date(),
  end_at: z.date(),
  all_day: z.boolean(),
  timezone: z.string(),
  rrule: z.string().nullable(),
  version: z.number().int(),
  created_at: z.date(),
  updated_at: z.date(),
  owner: z.object({ id: z.uuid(), display_name: z.string(), email: z.string() }),
  my_role: Role,
  my_status: InviteeStatus.nullable(),
  can_modify: z.boolean(),
};

export const EventSchema = z.object({ ...eventFields, invitees: z.array(InviteeSchema) }).meta({ id: 'Event' });
export type EventBody = z.output<typeof EventSchema>;

export const OccurrenceSchema = z
  .object({
    ...eventFields,
    occurrence_start: z.date().nullable().meta({ description: "The occurrence's original start; null for a non-recurring event" }),
    recurring: z.boolean(),
    is_exception: z.boolean().meta({ description: 'This occurrence was changed on its own (scope this)' }),
  })
  .meta({ id: 'EventOccurrence' });
export type OccurrenceBody = z.output<typeof OccurrenceSchema>;

/** An instant, or for all-day events also a date (00:00 in the event's zone; an end date is exclusive). */
const InstantOrDate = z
  .union([Instant, CalendarDate])
  .meta({ description: 'An instant with offset; for all-day events also YYYY-MM-DD (00:00 in the event time zone, end exclusive)' });

const editable = {
  calendar_id: Uuid,
  title: text(500, 1),
  description: text(10000).nullable(),
  location: text(500).nullable(),
  location_id: Uuid.nullable(),
  start_at: InstantOrDate,
  end_at: InstantOrDate,
  all_day: z.boolean(),
  timezone: TimeZone,
  rrule: text(1000, 1).nullable().meta({ description: 'RRULE value without the "RRULE:" prefix, e.g. FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10' }),
};

export const CreateEventBody = z.strictObject(editable).partial().required({ title: true, start_at: true, end_at: true });
export type CreateEvent = z.output<typeof CreateEventBody>;

export const UpdateEventBody = z
  .strictObject({ ...editable, scope: Scope, occurrence_start: Instant })
  .partial();
export type UpdateEvent = z.output<typeof UpdateEventBody>;
/** The fields of an update, without how it applies. */
export type EventChanges = Omit<UpdateEvent, 'scope' | 'occurrence_start'>;

export const DeleteEventQuery = z.strictObject({ scope: Scope.optional(), occurrence_start: Instant.optional() });

export const RangeQuery = z.strictObject({
  from: InstantOrDate.optional().meta({ description: 'Instant, or a date meaning 00:00 in your time zone; default today 00:00' }),
  to: InstantOrDate.optional().meta({ description: 'Instant or date (00:00 in your zone); default from + 30 days; at most 366 days after from' }),
  calendar_id: Uuid.optional(),
  include_declined: QueryBoolean.optional(),
  limit: queryInteger({ min: 1, max: 2500, default: 2500 }).meta({ description: 'At most this many occurrences in the answer, 1..2500 (default 2500)' }),
  page_token: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'The next_page_token of the previous page: the same query continues where that page stopped' }),
});
export type RangeParams = z.output<typeof RangeQuery>;

export const OccurrenceList = z.object({
  items: z.array(OccurrenceSchema),
  next_page_token: z.string().optional().meta({ description: 'Present when more occurrences remain: send it as page_token with the same query' }),
});
export type OccurrencePage = z.output<typeof OccurrenceList>;
