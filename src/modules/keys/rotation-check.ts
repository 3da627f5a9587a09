import type { FieldIssue } from '../../platform/http/errors.ts';

// The superset check of a household key rotation (API-VAULT.md "Keys for zero-knowledge
// clients"), pure: what the request names against what the household holds. Naming something
// that is not there (a non-member, a file that is not a version-2 file of the household, a value
// that is not one of its `enc:` values, the same thing twice) is a mistake in the request: 400
// naming the entry. Leaving out something the old key opens is a conflict with the household's
// state: 409, because after the rotation it would stay readable with the old key only.

export type RotationRequest = {
  envelopes: { user_id: string }[];
  files: { id: string }[];
  fields: { item_id: string; field: string }[];
};

export type HouseholdKeyState = {
  /** Members of the household and whether each has set up keys (has a public key). */
  members: Map<string, { hasKeys: boolean }>;
  /** Members holding an envelope of the current household key. */
  envelopeHolders: string[];
  /** The household's version-2 files. */
  files: string[];
  /** The household's `enc:` values as `item id:field key`. */
  fields: string[];
};

export type Missing = { envelopes: string[]; files: string[]; fields: string[] };

export type RotationCheck = { issues: FieldIssue[]; missing: Missing };

const fieldRef = (itemId: string, field: string) => `${itemId}:${field}`;

/** Issues for entries naming something unknown or named before; the set of names seen. */
function checkEntries<T>(entries: T[], list: string, pathOf: (entry: T) => string, keyOf: (entry: T) => string, problem: (entry: T) => string | undefined) {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const key = keyOf(entry);
    const path = `${list}.${index}.${pathOf(entry)}`;
    if (seen.has(key)) issues.push({ path, message: 'Named twice' });
    else {
      const message = problem(entry);
      if (message) issues.push({ path, message });
    }
    seen.add(key);
  });
  return { issues, seen };
}

export function checkRotation(request: RotationRequest, state: HouseholdKeyState): RotationCheck {
  const files = new Set(state.files);
  const fields = new Set(state.fields);
  const envelopes = checkEntries(
    request.envelopes,
    'envelopes',
    () => 'user_id',
    (entry) => entry.user_id,
    (entry) => {
      const member = state.members.get(entry.user_id);
      if (!member) return 'Not a member of this household';
      return member.hasKeys ? undefined : 'This member has not set up keys yet (PUT /api/keys)';
    },
  );
  const fileEntries = checkEntries(
    request.files,
    'files',
    () => 'id',
    (entry) => entry.id,
    (entry) => (files.has(entry.id) ? undefined : 'Not a version-2 file of this household'),
  );
  const fieldEntries = checkEntries(
    request.fields,
    'fields',
    () => 'field',
    (entry) => fieldRef(entry.item_id, entry.field),
    (entry) => (fields.has(fieldRef(entry.item_id, entry.field)) ? undefined : 'Not an "enc:" value of an item of this household'),
  );
  return {
    issues: [...envelopes.issues, ...fileEntries.issues, ...fieldEntries.issues],
    missing: {
      envelopes: state.envelopeHolders.filter((id) => !envelopes.seen.has(id)),
      files: state.files.filter((id) => !fileEntries.seen.has(id)),
      fields: state.fields.filter((ref) => !fieldEntries.seen.has(ref)),
    },
  };
}

const LISTED = 10;

function listed(what: string, refs: string[]): string | undefined {
  if (refs.length === 0) return undefined;
  const more = refs.length > LISTED ? ` and ${refs.length - LISTED} more` : '';
  return `${what} ${refs.slice(0, LISTED).join(', ')}${more}`;
}

/** The 409's detail: what the rotation left out, so a client can fetch it and try again. */
export function describeMissing(missing: Missing): string | undefined {
  const parts = [
    listed('an envelope for the members', missing.envelopes),
    listed('a new key for the version-2 files', missing.files),
    listed('a new value for the enc: fields (item:field)', missing.fields),
  ].filter((part) => part !== undefined);
  if (parts.length === 0) return undefined;
  return `The rotation must re-key everything the current household key opens; it lacks ${parts.join('; ')}`;
}
