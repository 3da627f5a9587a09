import { z } from 'zod';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { Email, text } from '../../platform/http/schemas.ts';
import { Phone, WebUrl } from '../vault/index.ts';

export const PROVIDER_KINDS = ['insurer', 'bank', 'clinic', 'authority', 'utility', 'other'] as const;

export const ProviderSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(PROVIDER_KINDS),
    website: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    notes: z.string().nullable(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Provider' });

const editable = {
  name: text(200, 1),
  kind: z.enum(PROVIDER_KINDS).meta({ description: 'Default other' }),
  website: WebUrl.nullable(),
  phone: Phone.nullable(),
  email: Email.nullable(),
  notes: text(10000).nullable(),
};

export const CreateProviderBody = z.strictObject(editable).partial().required({ name: true });
export const UpdateProviderBody = z.strictObject(editable).partial();
export type CreateProvider = z.output<typeof CreateProviderBody>;
export type UpdateProvider = z.output<typeof UpdateProviderBody>;

export const ProviderListQuery = listQuery(['name', 'created_at'], 'name', {
  kind: z.enum(PROVIDER_KINDS).optional(),
  q: text(200, 1).optional().meta({ description: 'Case-insensitive match in name, website, email, phone or notes' }),
});
export type ProviderListParams = z.output<typeof ProviderListQuery>;
