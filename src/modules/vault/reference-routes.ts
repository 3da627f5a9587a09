import { z } from 'zod';
import { answers } from '../../platform/http/problem.ts';
import type { ModuleRoutes } from '../../platform/modules.ts';
import { CATEGORIES, FIELD_TYPES } from './categories.ts';
import { COUNTRIES } from './countries.ts';
import { VISA_TYPES } from './visa-types.ts';

// What a client needs to build vault forms: the category definitions, the countries and the
// visa types. The same for every signed-in user; served from memory.

const FieldDefinitionSchema = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  options: z.array(z.string()).readonly().optional(),
  sensitive: z.boolean(),
  reminder_days: z.array(z.number().int()).readonly().optional(),
});

const CategoriesSchema = z.object({
  items: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      subcategories: z.array(z.object({ key: z.string(), label: z.string(), fields: z.array(FieldDefinitionSchema).readonly() })).readonly(),
    }),
  ).readonly(),
});

const CountriesSchema = z.object({ items: z.array(z.object({ code: z.string(), name: z.string() })).readonly() });
const VisaTypesSchema = z.object({ items: z.array(z.object({ key: z.string(), label: z.string() })).readonly() });

const tags = ['vault'];

const referenceRoutes: ModuleRoutes = async (app) => {
  app.get(
    '/categories',
    { schema: { tags, summary: 'What a vault item can be: categories, subcategories and their fields', response: { 200: CategoriesSchema, ...answers.signedIn } } },
    async () => ({ items: CATEGORIES }),
  );
  app.get(
    '/countries',
    { schema: { tags, summary: 'ISO 3166-1 countries (alpha-2 code, English name), by name', response: { 200: CountriesSchema, ...answers.signedIn } } },
    async () => ({ items: COUNTRIES }),
  );
  app.get(
    '/visa-types',
    { schema: { tags, summary: 'Visa types: the options of a travel item\'s visa_type', response: { 200: VisaTypesSchema, ...answers.signedIn } } },
    async () => ({ items: VISA_TYPES }),
  );
};

export default referenceRoutes;
