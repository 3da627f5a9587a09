import { z } from 'zod';
import { text } from '../../platform/http/schemas.ts';
import { listQuery } from '../../platform/crud/list-schemas.ts';

export const LocationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string().nullable(),
    category: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    notes: z.string().nullable(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Location' });

const editable = {
  name: text(200, 1),
  address: text(1000).nullable(),
  category: text(50).nullable(),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  notes: text(10000).nullable(),
};

const BOTH_OR_NEITHER = 'latitude and longitude are given together (both or neither)';

/** The coordinate pair as it will be stored, given what is stored now and what changes. */
export function coordinateIssues(latitude: number | null | undefined, longitude: number | null | undefined) {
  const hasLatitude = latitude !== null && latitude !== undefined;
  const hasLongitude = longitude !== null && longitude !== undefined;
  if (hasLatitude === hasLongitude) return [];
  return [{ path: hasLatitude ? 'longitude' : 'latitude', message: BOTH_OR_NEITHER }];
}

export const CreateLocationBody = z
  .strictObject(editable)
  .partial()
  .required({ name: true })
  .superRefine((value, ctx) => {
    for (const issue of coordinateIssues(value.latitude, value.longitude)) {
      ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
    }
  });
export const UpdateLocationBody = z.strictObject(editable).partial();

export type CreateLocation = z.output<typeof CreateLocationBody>;
export type UpdateLocation = z.output<typeof UpdateLocationBody>;

export const LocationListQuery = listQuery(['name', 'created_at'], 'name', {
  category: text(50).optional(),
  q: text(200, 1).optional(),
});
export type LocationListParams = z.output<typeof LocationListQuery>;

export const LocationCategories = z.object({
  items: z.array(z.object({ category: z.string(), count: z.number().int() })),
});
