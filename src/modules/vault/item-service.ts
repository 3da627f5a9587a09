import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordHouseholdAudit } from '../../platform/audit/record-audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import { ConflictError, type FieldIssue, InvalidInputError, NotFoundError, PreconditionFailedError } from '../../platform/http/errors.ts';
import type { VersionCondition } from '../../platform/http/etag.ts';
import type { HouseholdAccess } from '../households/index.ts';
import { findSubcategory, type SubcategoryDefinition } from './categories.ts';
import { countCoverage } from './coverage-queries.ts';
import { type FieldMap, validateFields } from './field-validation.ts';
import { decodeValues, encodeValues, type ValueCrypto } from './field-values.ts';
import { deleteItem, findItem, type ItemColumns, type ItemRow, insertItem, replaceValues, updateItem } from './item-queries.ts';
import type { CreateItem, PatchItem, ReplaceItem } from './item-schemas.ts';
import { referenceIssues } from './reference-queries.ts';

// Item writes. Each runs in the caller's transaction after the resolver granted 'write': the
// definition and the values are checked (references in SQL, against this household), the item
// row and its value rows written, and the audit entry recorded; any refusal throws before
// anything is written, and the transaction takes nothing half-done with it.

export type ItemWrite = { db: Kysely<DB>; access: HouseholdAccess; crypto: ValueCrypto };

type Target = ItemColumns & { fields: Record<string, unknown> };

function definitionOf(category: string, subcategory: string): SubcategoryDefinition {
  const definition = findSubcategory(category, subcategory);
  if (!definition) throw new InvalidInputError([{ path: 'subcategory', message: `"${subcategory}" is not a subcategory of "${category}" (GET /api/categories)` }]);
  return definition;
}

/** The target's values, checked against its definition and this household's records. */
async function checkedValues(write: ItemWrite, target: Target): Promise<{ definition: SubcategoryDefinition; values: FieldMap }> {
  const definition = definitionOf(target.category, target.subcategory);
  const { values, issues } = validateFields(definition, target.fields, `${target.category}/${target.subcategory}`);
  const problems: FieldIssue[] = issues.length > 0 ? issues : await referenceIssues(write.db, write.access.householdId, definition, values);
  if (problems.length > 0) throw new InvalidInputError(problems);
  return { definition, values };
}

async function storeValues(write: ItemWrite, itemId: string, definition: SubcategoryDefinition, values: FieldMap) {
  const rows = await encodeValues(definition, values, { id: itemId, householdId: write.access.householdId }, write.crypto);
  await replaceValues(write.db, itemId, rows);
}

async function reread(write: ItemWrite, id: string): Promise<ItemRow> {
  const row = await findItem(write.db, write.access.householdId, id);
  if (!row) throw new Error('an item just written is not readable');
  return row;
}

export async function createItem(write: ItemWrite, body: CreateItem): Promise<ItemRow> {
  const target = { category: body.category, subcategory: body.subcategory, name: body.name, notes: body.notes ?? null, fields: body.fields };
  const { definition, values } = await checkedValues(write, target);
  const id = randomUUID();
  await insertItem(write.db, write.access.householdId, write.access.userId, { id, category: target.category, subcategory: target.subcategory, name: target.name, notes: target.notes });
  await storeValues(write, id, definition, values);
  await recordHouseholdAudit(write.db, {
    householdId: write.access.householdId,
    actorId: write.access.userId,
    action: 'item.created',
    target: { type: 'item', id },
    // Names and keys only: never a value (sensitive ones above all).
    details: { name: target.name, category: target.category, subcategory: target.subcategory, fields: Object.keys(values).sort() },
  });
  return reread(write, id);
}

/** The stored item, locked for this write, or the 404/412 that ends it. */
async function currentItem(write: ItemWrite, id: string, ifMatch: VersionCondition): Promise<ItemRow> {
  const current = await findItem(write.db, write.access.householdId, id, true);
  if (!current) throw new NotFoundError('Item not found');
  if (ifMatch.versions && !ifMatch.versions.includes(current.version)) throw new PreconditionFailedError(ifMatch.header ?? '', String(current.version));
  return current;
}

const isEmpty = (body: object) => Object.keys(body).length === 0;

async function applyChange(write: ItemWrite, current: ItemRow, stored: FieldMap, target: Target): Promise<ItemRow> {
  if (current.category === 'insurance' && target.category !== 'insurance') {
    const coverage = await countCoverage(write.db, write.access.householdId, current.id);
    if (coverage > 0) throw new ConflictError(`The item has ${coverage} coverage rows and limits; delete them before it stops being insurance`);
  }
  const { definition, values } = await checkedValues(write, target);
  await updateItem(write.db, write.access.householdId, current.id, { category: target.category, subcategory: target.subcategory, name: target.name, notes: target.notes });
  await storeValues(write, current.id, definition, values);
  const changed = (['category', 'subcategory', 'name', 'notes'] as const).filter((key) => current[key] !== target[key]);
  const keys = new Set([...Object.keys(stored), ...Object.keys(values)]);
  const changedFields = [...keys].filter((key) => JSON.stringify(stored[key]) !== JSON.stringify(values[key])).sort();
  await recordHouseholdAudit(write.db, {
    householdId: write.access.householdId,
    actorId: write.access.userId,
    action: 'item.updated',
    target: { type: 'item', id: current.id },
    details: { name: target.name, changed, fields: changedFields },
  });
  return reread(write, current.id);
}

/** PUT: top-level fields as sent (partial, as everywhere); `fields`, when sent, replaces them whole. */
export async function replaceItem(write: ItemWrite, id: string, body: ReplaceItem, ifMatch: VersionCondition): Promise<ItemRow> {
  const current = await currentItem(write, id, ifMatch);
  if (isEmpty(body)) return current;
  const stored = await decodeValues(current.id, current.values, write.crypto);
  return applyChange(write, current, stored, {
    category: body.category ?? current.category,
    subcategory: body.subcategory ?? current.subcategory,
    name: body.name ?? current.name,
    notes: body.notes === undefined ? current.notes : body.notes,
    fields: body.fields ?? stored,
  });
}

/** PATCH: sent keys change, null removes a key, the others stay. */
export async function patchItem(write: ItemWrite, id: string, body: PatchItem, ifMatch: VersionCondition): Promise<ItemRow> {
  const current = await currentItem(write, id, ifMatch);
  if (isEmpty(body)) return current;
  const stored = await decodeValues(current.id, current.values, write.crypto);
  const fields: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(body.fields ?? {})) {
    if (value === null) delete fields[key];
    else fields[key] = value;
  }
  return applyChange(write, current, stored, {
    category: current.category,
    subcategory: current.subcategory,
    name: body.name ?? current.name,
    notes: body.notes === undefined ? current.notes : body.notes,
    fields,
  });
}

export async function removeItem(write: ItemWrite, id: string, ifMatch: VersionCondition): Promise<void> {
  const current = await currentItem(write, id, ifMatch);
  await deleteItem(write.db, write.access.householdId, id);
  await recordHouseholdAudit(write.db, {
    householdId: write.access.householdId,
    actorId: write.access.userId,
    action: 'item.deleted',
    target: { type: 'item', id },
    details: { name: current.name, category: current.category, subcategory: current.subcategory },
  });
}
