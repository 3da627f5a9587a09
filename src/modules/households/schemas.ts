import { z } from 'zod';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { text, Uuid } from '../../platform/http/schemas.ts';
import { HOUSEHOLD_ROLES } from './access.ts';

export const HouseholdRoleSchema = z.enum(HOUSEHOLD_ROLES).meta({ id: 'HouseholdRole', description: 'owner > admin > member > viewer' });

export const HouseholdSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    my_role: HouseholdRoleSchema,
    member_count: z.number().int(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Household' });

const name = text(200, 1);

export const CreateHouseholdBody = z.strictObject({ name });
export const UpdateHouseholdBody = z.strictObject({ name }).partial();

export const HouseholdListQuery = listQuery(['name', 'created_at'], 'name', {});
export type HouseholdListParams = z.output<typeof HouseholdListQuery>;

/** Every household route: `/api/households/{hid}/...`. */
export const HouseholdParams = z.strictObject({ hid: Uuid });
export const MemberParams = z.strictObject({ hid: Uuid, user_id: Uuid });
/** One record of a household: `/api/households/{hid}/<records>/{id}`. */
export const HouseholdRecordParams = z.strictObject({ hid: Uuid, id: Uuid });

export const MemberSchema = z
  .object({
    user_id: z.uuid(),
    email: z.string(),
    display_name: z.string(),
    role: HouseholdRoleSchema,
    joined_at: z.date(),
    has_key: z.boolean().meta({ description: 'Whether the member holds an envelope of the zero-knowledge household key' }),
    public_key: z.string().nullable().meta({ description: "The member's RSA-OAEP public key (SPKI, base64), once they set keys" }),
  })
  .meta({ id: 'HouseholdMember' });

export const MemberListSchema = z.object({ items: z.array(MemberSchema) });

export const ChangeRoleBody = z.strictObject({ role: HouseholdRoleSchema });
