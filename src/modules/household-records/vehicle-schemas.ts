import { z } from 'zod';
import { listQuery } from '../../platform/crud/list-schemas.ts';
import { text } from '../../platform/http/schemas.ts';

export const VehicleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    make: z.string().nullable(),
    model: z.string().nullable(),
    year: z.number().int().nullable(),
    vin: z.string().nullable(),
    plate: z.string().nullable(),
    color: z.string().nullable(),
    notes: z.string().nullable(),
    version: z.number().int(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .meta({ id: 'Vehicle' });

/** The first car (Benz, 1886) up to next year's models, which are sold from this year on. */
const Year = z
  .number()
  .int()
  .min(1886)
  .refine((year) => year <= new Date().getUTCFullYear() + 1, { message: 'A year from 1886 to next year' });

/** 17 characters without I, O and Q (ISO 3779); taken in either case, stored upper case. */
const Vin = z
  .string()
  .regex(/^[A-HJ-NPR-Z0-9]{17}$/i, 'Expected 17 letters and digits without I, O or Q')
  .transform((vin) => vin.toUpperCase());

const editable = {
  name: text(200, 1),
  make: text(100).nullable(),
  model: text(100).nullable(),
  year: Year.nullable(),
  vin: Vin.nullable(),
  plate: text(20).nullable(),
  color: text(50).nullable(),
  notes: text(10000).nullable(),
};

export const CreateVehicleBody = z.strictObject(editable).partial().required({ name: true });
export const UpdateVehicleBody = z.strictObject(editable).partial();
export type CreateVehicle = z.output<typeof CreateVehicleBody>;
export type UpdateVehicle = z.output<typeof UpdateVehicleBody>;

export const VehicleListQuery = listQuery(['name', 'created_at'], 'name', {
  q: text(200, 1).optional().meta({ description: 'Case-insensitive match in name, make, model, VIN, plate or notes' }),
});
export type VehicleListParams = z.output<typeof VehicleListQuery>;
