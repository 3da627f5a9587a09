import type { Scope } from './schemas.ts';

// What one write did, in the terms of the history: every event write returns one of these, so
// the history entry is written from the same facts the write used.

export type JsonScalar = string | number | boolean | null;
export type FieldChanges = Record<string, { from: JsonScalar; to: JsonScalar }>;

export type HistoryAction =
  | 'created'
  | 'updated'
  | 'deleted'
  | 'occurrence_cancelled'
  | 'invitee_added'
  | 'invitee_removed'
  | 'permission_changed'
  | 'responded';

export type WriteRecord = {
  action: HistoryAction;
  changes: FieldChanges;
  /** `this` for one occurrence, `all` for the whole series, null otherwise (API.md; a split is null with its occurrence). */
  scope: Exclude<Scope, 'following'> | null;
  occurrence_start: Date | null;
};

function scalar(value: unknown): JsonScalar {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

/** The fields whose values differ, each as {from, to}; dates as ISO instants. */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>, fields: readonly string[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const from = scalar(before[field]);
    const to = scalar(after[field]);
    if (from !== to) changes[field] = { from, to };
  }
  return changes;
}
