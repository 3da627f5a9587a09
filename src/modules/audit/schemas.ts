import { z } from 'zod';
import { ACCOUNT_AUDIT_ACTIONS, HOUSEHOLD_AUDIT_ACTIONS } from '../../platform/audit/record-audit.ts';
import { pageOf, paging } from '../../platform/crud/list-schemas.ts';
import { Instant, Uuid } from '../../platform/http/schemas.ts';

// Any JSON value. Not z.json(): its recursive schema becomes a $ref into a "__shared" document
// that the OpenAPI transform never writes, so /openapi.json failed to validate or dereference.
const JsonValueSchema = z.unknown().meta({ description: 'Any JSON value' });

export const AuditEntrySchema = z
  .object({
    id: z.uuid(),
    actor: z.object({ id: z.uuid(), display_name: z.string() }).nullable().meta({ description: 'null when the account no longer exists' }),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.uuid() }).nullable(),
    details: z.record(z.string(), JsonValueSchema),
    at: z.date(),
  })
  .meta({ id: 'AuditEntry' });

export const AuditPageSchema = pageOf(AuditEntrySchema);


/** Newest first, always: the log has no other order. */
export const HouseholdAuditQuery = z.strictObject({
  ...paging,
  action: z.enum(HOUSEHOLD_AUDIT_ACTIONS).optional(),
  actor_id: Uuid.optional(),
  from: Instant.optional().meta({ description: 'Entries at or after this instant' }),
  to: Instant.optional().meta({ description: 'Entries before this instant' }),
});
export type HouseholdAuditParams = z.output<typeof HouseholdAuditQuery>;

export const AccountAuditQuery = z.strictObject({ ...paging, action: z.enum(ACCOUNT_AUDIT_ACTIONS).optional() });
export type AccountAuditParams = z.output<typeof AccountAuditQuery>;
