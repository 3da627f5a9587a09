import { z } from 'zod';
import { paging } from '../../platform/crud/list-schemas.ts';
import { Email, Uuid } from '../../platform/http/schemas.ts';

export const INVITABLE_ROLES = ['admin', 'member', 'viewer'] as const;
export const InvitableRole = z.enum(INVITABLE_ROLES).meta({ description: 'The role the invitee gets on accepting (never owner)' });

export const INVITATION_STATUSES = ['pending', 'accepted', 'declined', 'revoked', 'expired'] as const;
export const InvitationStatus = z
  .enum(INVITATION_STATUSES)
  .meta({ id: 'HouseholdInvitationStatus', description: 'expired: still pending 7 days after it was made' });

const Person = z.object({ id: z.uuid(), display_name: z.string() });

export const InvitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: InvitableRole,
    status: InvitationStatus,
    invited_by: Person.nullable().meta({ description: 'null once that account is gone' }),
    created_at: z.date(),
    expires_at: z.date(),
  })
  .meta({ id: 'HouseholdInvitation' });

export const CreateInvitationBody = z.strictObject({ email: Email, role: InvitableRole });

export const InvitationListQuery = z.strictObject({
  ...paging,
  status: InvitationStatus.optional().meta({ description: 'Only invitations in this status' }),
});
export type InvitationListParams = z.output<typeof InvitationListQuery>;

export const InvitationPageSchema = z.object({ items: z.array(InvitationSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

export const HouseholdInvitationParams = z.strictObject({ hid: Uuid, id: Uuid });

/** An invitation as its invitee sees it in their inbox. */
export const InboxItemSchema = z
  .object({
    id: z.uuid(),
    household: z.object({ id: z.uuid(), name: z.string() }),
    role: InvitableRole,
    invited_by: Person.nullable().meta({ description: 'null once that account is gone' }),
    expires_at: z.date(),
  })
  .meta({ id: 'HouseholdInvitationInboxItem' });

export const InboxSchema = z.object({ items: z.array(InboxItemSchema) });

export const AcceptByTokenBody = z.strictObject({
  token: z.string().min(1).max(200).meta({ description: 'The token of the link in the invitation email' }),
});
