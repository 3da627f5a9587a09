import { z } from 'zod';
import { HexColor, text } from '../../platform/http/schemas.ts';
import { listQuery } from '../../platform/crud/list-schemas.ts';

export const CalendarSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    color: z.string().nullable(),
    is_default: z.boolean().meta({ description: 'Read-only: make another calendar the default in /api/settings' }),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Calendar' });

const editable = {
  name: text(200, 1),
  color: HexColor.nullable(),
};

export const CreateCalendarBody = z.strictObject(editable).partial().required({ name: true });
export const UpdateCalendarBody = z.strictObject(editable).partial();

export type CreateCalendar = z.output<typeof CreateCalendarBody>;
export type UpdateCalendar = z.output<typeof UpdateCalendarBody>;

export const CalendarListQuery = listQuery(['name', 'created_at'], 'name', {});
export type CalendarListParams = z.output<typeof CalendarListQuery>;
