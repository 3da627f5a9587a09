import type { Kysely } from 'kysely';
import type { DB, JsonValue } from '../db/schema.ts';

// One writer for the audit log (API-VAULT.md "Audit log"). Callers pass the transaction of the
// change they record, so an entry exists exactly when the change committed; a refused request
// never reaches this. `details` must never carry a sensitive field's value, a token or a key:
// callers put ids, names and field keys there, never values of sensitive fields.

const RECORD_TYPES = ['item', 'person', 'vehicle', 'provider', 'contact', 'saved_contact', 'coverage', 'coverage_limit', 'reminder', 'link'] as const;
type RecordType = (typeof RECORD_TYPES)[number];

export const HOUSEHOLD_AUDIT_ACTIONS = [
  'household.created',
  'household.renamed',
  'member.invited',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'member.left',
  'invitation.revoked',
  'invitation.declined',
  'file.uploaded',
  'file.downloaded',
  'file.deleted',
  'key.shared',
  'key.rotated',
  'reminder.dismissed',
  ...RECORD_TYPES.flatMap((type) => [`${type}.created`, `${type}.updated`, `${type}.deleted`] as const),
] as const satisfies readonly (`${string}.${string}`)[];

export type HouseholdAuditAction = (typeof HOUSEHOLD_AUDIT_ACTIONS)[number] | `${RecordType}.${'created' | 'updated' | 'deleted'}`;

export const ACCOUNT_AUDIT_ACTIONS = ['login', 'login_failed', 'logout', 'password_changed', 'keys_changed'] as const;
export type AccountAuditAction = (typeof ACCOUNT_AUDIT_ACTIONS)[number];

export type AuditTarget = { type: string; id: string };
export type AuditDetails = { [key: string]: JsonValue };

type Common = { actorId: string | null; target?: AuditTarget; details?: AuditDetails };

/** A household action, seen by the household's owner and admins. */
export async function recordHouseholdAudit(
  db: Kysely<DB>,
  entry: Common & { householdId: string; action: HouseholdAuditAction },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      household_id: entry.householdId,
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** A security event of one account, seen by that account alone. */
export async function recordAccountAudit(
  db: Kysely<DB>,
  entry: Common & { accountId: string; action: AccountAuditAction },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      account_id: entry.accountId,
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
