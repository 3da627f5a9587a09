import { z } from 'zod';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { text, Uuid } from '../../platform/http/schemas.ts';
import type { FieldIssue } from '../../platform/http/errors.ts';
import { checkContactValue, ContactKindSchema, ContactValue } from './contact-values.ts';

export const ContactSchema = z
  .object({
    id: z.uuid(),
    kind: ContactKindSchema,
    label: z.string().nullable(),
    value: z.string(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'ItemContact' });

const contactFields = { kind: ContactKindSchema, label: text(100).nullable(), value: ContactValue };

export const CreateContactBody = z
  .strictObject({
    ...contactFields,
    saved_contact_id: Uuid.meta({ description: 'Copy kind, label and value from this saved contact of the household (send nothing else)' }),
  })
  .partial()
  .meta({ examples: [{ kind: 'phone', label: 'Claims line', value: '+49 30 1234-567' }] });
export type CreateContact = z.output<typeof CreateContactBody>;

export const UpdateContactBody = z.strictObject(contactFields).partial();
export type UpdateContact = z.output<typeof UpdateContactBody>;

export const ContactListQuery = listQuery(['created_at', 'label', 'kind'], 'created_at', { kind: ContactKindSchema.optional() });
export type ContactListParams = z.output<typeof ContactListQuery>;

export const ContactParams = z.strictObject({ hid: Uuid, id: Uuid, contact_id: Uuid });

/**
 * A create names a saved contact, or gives kind and value (checked by kind). Checked after the
 * household and item are resolved, so a stranger learns nothing from a 400 before the 404.
 */
export function createContactIssues(body: CreateContact): FieldIssue[] {
  if (body.saved_contact_id !== undefined) {
    return (['kind', 'label', 'value'] as const)
      .filter((key) => body[key] !== undefined)
      .map((key) => ({ path: key, message: 'Send either saved_contact_id or kind, label and value' }));
  }
  const missing = (['kind', 'value'] as const).filter((key) => body[key] === undefined).map((key) => ({ path: key, message: 'Required (or send saved_contact_id)' }));
  if (missing.length > 0 || body.kind === undefined || body.value === undefined) return missing;
  return checkContactValue(body.kind, body.value).issues;
}
