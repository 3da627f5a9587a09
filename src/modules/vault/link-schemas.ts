import { z } from 'zod';
import { Uuid } from '../../platform/http/schemas.ts';
import { ItemSchema } from './item-schemas.ts';

export const CreateLinkBody = z.strictObject({
  child_id: Uuid.meta({ description: 'An item of the same household', 'x-references': '/api/households/{hid}/items' }),
});

export const LinkSchema = z.object({ parent_id: z.uuid(), child_id: z.uuid() }).meta({ id: 'ItemLink' });

export const LinksSchema = z.object({
  parents: z.array(ItemSchema).meta({ description: 'Items that link to this one, in list form, by name' }),
  children: z.array(ItemSchema).meta({ description: 'Items this one links to, in list form, by name' }),
});

export const LinkParams = z.strictObject({ hid: Uuid, id: Uuid, child_id: Uuid });
