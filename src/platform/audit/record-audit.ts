import type { Kysely } from 'kysely';
import type { CrudChange } from '../crud/crud-routes.ts';
import type { DB, JsonValue } from '../db/schema.ts';

// One writer for the audit log (API-VAULT.md "Audit log"). Callers pass the transaction of the
// change they record, so an entry exists exactly when the change committed; a refused request
// never reaches this. `details` must never carry a sensitive field's value, a token or a key:
// callers put ids, names and field keys there, never values of sensitive fields.

const RECORD_TYPES = ['item', 'person', 'vehicle', 'provider', 'contact', 'saved_contact', 'coverage', 'coverage_limit', 'reminder', 'link'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

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
  'file.replaced',
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

/** The columns every audit row has, whichever log (household or account) it belongs to. */
function entryColumns(entry: Common & { action: HouseholdAuditAction | AccountAuditAction }) {
  return {
    actor_id: entry.actorId,
    action: entry.action,
    target_type: entry.target?.type ?? null,
    target_id: entry.target?.id ?? null,
    details: JSON.stringify(entry.details ?? {}),
  };
}

/** A household action, seen by the household's owner and admins. */
export async function recordHouseholdAudit(
  db: Kysely<DB>,
  entry: Common & { householdId: string; action: HouseholdAuditAction },
): Promise<void> {
  await db.insertInto('audit_log').values({ household_id: entry.householdId, ...entryColumns(entry) }).execute();
}

/** A security event of one account, seen by that account alone. */
export async function recordAccountAudit(
  db: Kysely<DB>,
  entry: Common & { accountId: string; action: AccountAuditAction },
): Promise<void> {
  await db.insertInto('audit_log').values({ account_id: entry.accountId, ...entryColumns(entry) }).execute();
}

const UNRECORDED = new Set(['version', 'created_at', 'updated_at']);

/**
 * The CRUD kit's `onChange` for a household record: `<type>.created/updated/deleted` with the
 * record's id, what `describe` names it by (a name, a kind: never a sensitive value) and, for an
 * update, the keys that changed.
 */
export function auditRecordChanges<Row extends { id: string }>(type: RecordType, describe: (row: Row) => AuditDetails) {
  return async (db: Kysely<DB>, owner: { householdId: string; userId: string }, change: CrudChange<Row>): Promise<void> => {
    const details: AuditDetails = describe(change.row);
    if (change.kind === 'updated') {
      const before: Record<string, unknown> = change.before;
      const after: Record<string, unknown> = change.row;
      details.changed = Object.keys(after).filter((key) => !UNRECORDED.has(key) && JSON.stringify(after[key]) !== JSON.stringify(before[key]));
    }
    await recordHouseholdAudit(db, {
      householdId: owner.householdId,
      actorId: owner.userId,
      action: `${type}.${change.kind}`,
      target: { type, id: change.row.id },
      details,
    });
  };
}
