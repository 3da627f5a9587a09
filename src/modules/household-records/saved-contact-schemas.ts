import { z } from 'zod';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { text } from '../../platform/http/schemas.ts';
import { ContactKindSchema, ContactValue, Country } from '../vault/index.ts';

// Reusable contact templates (the embassy, the insurer's claims line); embassies and consulates
// for visas carry the `country` they serve.

export const SavedContactSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: ContactKindSchema,
    label: z.string().nullable(),
    value: z.string(),
    country: z.string().nullable(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'SavedContact' });

const editable = {
  name: text(200, 1),
  kind: ContactKindSchema,
  label: text(100).nullable(),
  value: ContactValue.meta({ description: 'Validated by kind: phone, email, http(s) URL, or an address (free text <= 1000)' }),
  country: Country.nullable(),
};

export const CreateSavedContactBody = z
  .strictObject(editable)
  .partial()
  .required({ name: true, kind: true, value: true })
  .meta({ examples: [{ name: 'Embassy of Japan', kind: 'phone', label: 'Visa section', value: '+49 30 21094-0', country: 'JP' }] });
export const UpdateSavedContactBody = z.strictObject(editable).partial();
export type CreateSavedContact = z.output<typeof CreateSavedContactBody>;
export type UpdateSavedContact = z.output<typeof UpdateSavedContactBody>;

export const SavedContactListQuery = listQuery(['name', 'created_at'], 'name', {
  kind: ContactKindSchema.optional(),
  country: Country.optional(),
  q: text(200, 1).optional().meta({ description: 'Case-insensitive match in name, label or value' }),
});
export type SavedContactListParams = z.output<typeof SavedContactListQuery>;
