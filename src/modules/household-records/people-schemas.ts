import { z } from 'zod';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { Email, text, Uuid } from '../../platform/http/schemas.ts';
import { Phone, VaultDate } from '../vault/index.ts';

// The household's people (whose passport it is): apart from each user's address book (/api/people).

export const HouseholdPersonSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    relationship: z.string().nullable(),
    birthday: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    notes: z.string().nullable(),
    user_id: z.uuid().nullable().meta({ description: 'The household member this person is, if any' }),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'HouseholdPerson' });

const editable = {
  name: text(200, 1),
  relationship: text(100).nullable(),
  birthday: VaultDate.nullable(),
  email: Email.nullable(),
  phone: Phone.nullable(),
  notes: text(10000).nullable(),
  user_id: Uuid.nullable().meta({ description: 'A member of this household, or null' }),
};

export const CreateHouseholdPersonBody = z.strictObject(editable).partial().required({ name: true });
export const UpdateHouseholdPersonBody = z.strictObject(editable).partial();
export type CreateHouseholdPerson = z.output<typeof CreateHouseholdPersonBody>;
export type UpdateHouseholdPerson = z.output<typeof UpdateHouseholdPersonBody>;

export const HouseholdPersonListQuery = listQuery(['name', 'created_at'], 'name', {
  q: text(200, 1).optional().meta({ description: 'Case-insensitive match in name, relationship, email, phone or notes' }),
});
export type HouseholdPersonListParams = z.output<typeof HouseholdPersonListQuery>;
