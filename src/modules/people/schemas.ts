import { z } from 'zod';
import { CalendarDate, Email, text } from '../../platform/http/schemas.ts';
import { listQuery } from '../../platform/crud/list-schemas.ts';

export const PersonSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    nickname: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    birthday: z.string().nullable(),
    relationship: z.string().nullable(),
    company: z.string().nullable(),
    address: z.string().nullable(),
    notes: z.string().nullable(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Person' });

const editable = {
  name: text(200, 1),
  nickname: text(100).nullable(),
  email: Email.nullable(),
  // Free text: people write numbers in too many valid ways ("+49 30 1234-56 ext. 7") to police.
  phone: text(50).nullable(),
  birthday: CalendarDate.nullable(),
  relationship: text(100).nullable(),
  company: text(200).nullable(),
  address: text(1000).nullable(),
  notes: text(10000).nullable(),
};

export const CreatePersonBody = z.strictObject(editable).partial().required({ name: true });
export const UpdatePersonBody = z.strictObject(editable).partial();

export type CreatePerson = z.output<typeof CreatePersonBody>;
export type UpdatePerson = z.output<typeof UpdatePersonBody>;

export const PersonListQuery = listQuery(['name', 'created_at', 'birthday'], 'name', {
  relationship: text(100).optional(),
  q: text(200, 1).optional().meta({ description: 'Case-insensitive match in name, nickname, email, phone or notes' }),
});

export type PersonListParams = z.output<typeof PersonListQuery>;
