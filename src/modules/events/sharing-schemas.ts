import { z } from 'zod';
import { Email, Uuid } from '../../platform/http/schemas.ts';
import { EventSchema, InviteeSchema, InviteeStatus } from './schemas.ts';

export const InviteeParams = z.strictObject({ id: Uuid, user_id: Uuid });

export const AddInviteeBody = z.strictObject({
  email: Email,
  can_modify: z.boolean().default(false).meta({ description: 'Let the invitee edit title, description, times and location (default false)' }),
});

export const ToggleInviteeBody = z.strictObject({ can_modify: z.boolean() });

export const RespondBody = z.strictObject({ status: z.enum(['accepted', 'declined', 'tentative']) });

export const InviteeList = z.object({ items: z.array(InviteeSchema) });

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const HistoryItem = z
  .object({
    id: z.uuid(),
    actor: z.object({ id: z.uuid(), display_name: z.string() }).nullable().meta({ description: 'Who made the change; null once that account is gone' }),
    action: z.enum(['created', 'updated', 'deleted', 'occurrence_cancelled', 'invitee_added', 'invitee_removed', 'permission_changed', 'responded']),
    changes: z.record(z.string(), z.object({ from: Scalar, to: Scalar })),
    scope: z.enum(['this', 'all']).nullable(),
    occurrence_start: z.date().nullable(),
    invitee: z.object({ id: z.uuid(), display_name: z.string() }).nullable().meta({ description: 'Whose invitation an invitee action concerned' }),
    at: z.date(),
  })
  .meta({ id: 'EventHistoryEntry' });
export type HistoryItem = z.output<typeof HistoryItem>;
export const HistoryList = z.object({ items: z.array(HistoryItem) });

export const InvitationsQuery = z.strictObject({ status: InviteeStatus.optional() });

export const InvitationList = z.object({
  items: z.array(
    z
      .object({ event: EventSchema.omit({ invitees: true }), status: InviteeStatus, can_modify: z.boolean(), invited_at: z.date() })
      .meta({ id: 'Invitation' }),
  ),
});
