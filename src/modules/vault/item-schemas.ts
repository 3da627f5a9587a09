import { z } from 'zod';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { text, Uuid } from '../../platform/http/schemas.ts';
import { CATEGORIES, CATEGORY_KEYS, type FieldDefinition, SUBCATEGORY_KEYS } from './categories.ts';
import { CoverageSummarySchema } from './coverage-schemas.ts';
import { Money, TYPE_WORDS, VaultDate } from './field-types.ts';

function describeField(field: FieldDefinition): string {
  const notes = [
    field.type === 'select' ? `select: ${(field.options ?? []).join('/')}` : `${field.type}: ${TYPE_WORDS[field.type]}`,
    field.required ? 'required' : undefined,
    field.sensitive ? 'sensitive (or an opaque "enc:<base64>")' : undefined,
    field.reminder_days ? `reminders ${field.reminder_days.join(', ')} days before` : undefined,
  ];
  return `\`${field.key}\` (${notes.filter(Boolean).join('; ')})`;
}

/** The OpenAPI description of `fields`, generated from the definitions so it cannot drift. */
export const FIELDS_DESCRIPTION = [
  'Field key -> value, validated against the definition of the item\'s category/subcategory (GET /api/categories); an error names `fields.<key>`.',
  ...CATEGORIES.flatMap((category) =>
    category.subcategories.map((sub) => `- ${category.key}/${sub.key}: ${sub.fields.map(describeField).join(', ') || 'no fields'}`),
  ),
].join('\n');

export const FieldValueSchema = z.union([z.string(), z.number(), z.boolean(), Money]);

const FieldsOut = z.record(z.string(), FieldValueSchema).meta({ description: 'Field key -> value; sensitive values only on GET of one item' });
const FieldsIn = z.record(z.string(), z.unknown()).meta({ description: FIELDS_DESCRIPTION });
const PatchFieldsIn = z
  .record(z.string(), z.unknown())
  .meta({ description: `Merged into the stored fields: sent keys change, null removes a key, others stay.\n${FIELDS_DESCRIPTION}` });

export const ItemSchema = z
  .object({
    id: z.uuid(),
    category: z.string(),
    subcategory: z.string(),
    name: z.string(),
    notes: z.string().nullable(),
    fields: FieldsOut,
    created_by: z.object({ id: z.uuid(), display_name: z.string() }).nullable().meta({ description: 'null when that account no longer exists' }),
    file_count: z.number().int().meta({ description: 'How many files are attached (GET .../items/{id}/files)' }),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'VaultItem' });

/** One item (GET, and the answer to every write): with its sensitive values and, on insurance items, its coverage. */
export const ItemDetailSchema = ItemSchema.extend({
  coverage: CoverageSummarySchema.nullable().meta({ description: 'Coverage rows and plan limits of an insurance item; null on other categories' }),
}).meta({ id: 'VaultItemDetail' });

const category = z.enum(CATEGORY_KEYS);
const subcategory = z.enum(SUBCATEGORY_KEYS);
const name = text(200, 1);
const notes = text(10000).nullable();

export const CreateItemBody = z
  .strictObject({ category, subcategory, name, notes: notes.optional(), fields: FieldsIn.default({}) })
  .meta({
    examples: [
      {
        category: 'insurance',
        subcategory: 'health',
        name: 'Health insurance',
        fields: { policy_number: 'HX-2026-0042', renewal_date: '2027-01-01', premium: { amount: '120.00', currency: 'EUR' }, premium_frequency: 'monthly' },
      },
    ],
  });
export type CreateItem = z.output<typeof CreateItemBody>;

export const ReplaceItemBody = z
  .strictObject({ category, subcategory, name, notes, fields: FieldsIn.meta({ description: `Replaces the stored fields whole.\n${FIELDS_DESCRIPTION}` }) })
  .partial();
export type ReplaceItem = z.output<typeof ReplaceItemBody>;

const onlyWithPut = z
  .unknown()
  .refine(() => false, { message: 'category and subcategory change only with PUT (the fields must then fit the new definition)' })
  .optional()
  .meta({ description: 'Not allowed: change it with PUT' });

export const PatchItemBody = z.strictObject({ name, notes, fields: PatchFieldsIn }).partial().extend({ category: onlyWithPut, subcategory: onlyWithPut });
export type PatchItem = z.output<typeof PatchItemBody>;

export const ItemListQuery = listQuery(['name', 'created_at', 'updated_at', 'next_date'], 'name', {
  category: category.optional(),
  subcategory: subcategory.optional(),
  q: text(200, 1).optional().meta({ description: 'Case-insensitive match in name or notes' }),
  person_id: Uuid.optional().meta({ description: 'Items whose person fields name this person' }),
  vehicle_id: Uuid.optional().meta({ description: 'Items whose vehicle fields name this vehicle' }),
  provider_id: Uuid.optional().meta({ description: 'Items whose provider fields name this provider' }),
  expiring_before: VaultDate.optional().meta({ description: 'Items with any reminder date field on or before this date' }),
});
export type ItemListParams = z.output<typeof ItemListQuery>;

export const ItemParams = z.strictObject({ hid: Uuid, id: Uuid });
