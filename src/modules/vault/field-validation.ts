import type { FieldIssue } from '../../platform/http/errors.ts';
import type { SubcategoryDefinition } from './categories.ts';
import { type MoneyValue, valueSchema } from './field-types.ts';

/** A field's value as the API shows it, after validation (amounts with two decimals). */
export type FieldValue = string | number | boolean | MoneyValue;
export type FieldMap = Record<string, FieldValue>;

function isMoney(value: unknown): value is MoneyValue {
  return typeof value === 'object' && value !== null && 'amount' in value && 'currency' in value;
}

function asFieldValue(value: unknown): FieldValue | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return isMoney(value) ? value : undefined;
}

/**
 * Checks a whole set of field values against a subcategory's definition: every key defined,
 * every required field present, every value of its type. Issues name `fields.<key>` (and
 * `fields.<key>.amount` inside money); the values come back canonical.
 */
export function validateFields(definition: SubcategoryDefinition, input: Record<string, unknown>, where: string): { values: FieldMap; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const values: FieldMap = {};
  const defined = new Map(definition.fields.map((field) => [field.key, field]));
  for (const key of Object.keys(input)) {
    if (!defined.has(key)) issues.push({ path: `fields.${key}`, message: `Unknown field for ${where}` });
  }
  for (const field of definition.fields) {
    const raw = input[field.key];
    if (raw === undefined || raw === null) {
      if (field.required) issues.push({ path: `fields.${field.key}`, message: `Required for ${where}` });
      continue;
    }
    const parsed = valueSchema(field).safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = ['fields', field.key, ...issue.path.map(String)].join('.');
        issues.push({ path, message: issue.code === 'unrecognized_keys' ? `Unknown field ${issue.keys.join(', ')}` : issue.message });
      }
      continue;
    }
    const value = asFieldValue(parsed.data);
    if (value === undefined) issues.push({ path: `fields.${field.key}`, message: 'Invalid value' });
    else values[field.key] = value;
  }
  return { values, issues };
}
