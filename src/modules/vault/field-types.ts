import { z } from 'zod';
import { CalendarDate, Email, Uuid } from '../../platform/http/schemas.ts';
import type { FieldDefinition, FieldType } from './categories.ts';
import { COUNTRY_CODES } from './countries.ts';

// What a value of each field type must be (API-VAULT.md, the field types table). The same
// schemas check the household records, contacts and coverage, so a phone or an amount is one
// rule across the vault.

/** ISO 4217 codes as ICU (shipped with Node) knows them: EUR, USD, JPY...; never XXX or XTS. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const Currency = z
  .enum([...CURRENCIES].sort(), { message: 'Expected an ISO 4217 currency code, upper case, e.g. EUR' })
  .meta({ description: 'ISO 4217 currency code, upper case', example: 'EUR' });

/** At most 12 digits before the point: a trillion is beyond any record a household keeps. */
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

/** An amount as a decimal string; stored and returned with two decimals ("1250" -> "1250.00"). */
export const Amount = z
  .string()
  .regex(AMOUNT, 'Expected a decimal string with at most 2 decimals, e.g. "1250.00" (0..999999999999.99)')
  .transform((amount) => {
    const [whole = '0', fraction = ''] = amount.split('.');
    return `${BigInt(whole).toString()}.${fraction.padEnd(2, '0')}`;
  })
  .meta({ description: 'Decimal string, at most 2 decimals', example: '1250.00' });

export const Money = z.strictObject({ amount: Amount, currency: Currency });
export type MoneyValue = z.output<typeof Money>;

/** A calendar date that exists, in the years 1000..9999 (API.md "Conventions"). */
export const VaultDate = CalendarDate.refine((date) => date >= '1000-01-01', { message: 'Dates lie in the years 1000..9999' });

/** `+` and 3..20 digits, spaces and dashes between them (international form). */
export const Phone = z
  .string()
  .max(50)
  .refine((phone) => /^\+\d(?:[\d -]*\d)?$/.test(phone) && /^\d{3,20}$/.test(phone.slice(1).replace(/[ -]/g, '')), {
    message: 'Expected + and 3..20 digits, spaces or dashes between them, e.g. +49 30 1234-56',
  });

export const WebUrl = z.url({ protocol: /^https?$/, message: 'Expected an http(s) URL' }).max(2000);

export const Country = z.enum(COUNTRY_CODES, { message: 'Expected an ISO 3166-1 alpha-2 code, upper case (GET /api/countries)' });

/** A zero-knowledge client's ciphertext: stored and returned as sent, never read by the server. */
const OPAQUE = /^enc:[A-Za-z0-9+/]+={0,2}$/;
const OPAQUE_MAX = 20000;

export function isOpaque(value: string): boolean {
  return value.startsWith('enc:');
}

/** A sensitive value as a zero-knowledge client sends it, and nothing else: `enc:` and base64. */
export const OpaqueValue = z
  .string()
  .max(OPAQUE_MAX)
  .regex(OPAQUE, 'Expected "enc:" and base64 (at most 20000 characters)')
  .meta({ description: 'A sensitive value encrypted by the client: "enc:" and base64, stored and returned as sent' });

function textSchema(max: number, sensitive: boolean) {
  const plain = z.string().min(1).max(max);
  if (!sensitive) return plain;
  return z.string().superRefine((value, ctx) => {
    if (isOpaque(value)) {
      if (!OPAQUE.test(value) || value.length > OPAQUE_MAX) ctx.addIssue({ code: 'custom', message: 'Expected "enc:" and base64 (at most 20000 characters)' });
      return;
    }
    for (const issue of plain.safeParse(value).error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message });
  });
}

const SCHEMAS: Record<Exclude<FieldType, 'select' | 'text' | 'long_text'>, z.ZodType> = {
  number: z.number(),
  money: Money,
  date: VaultDate,
  boolean: z.boolean(),
  email: Email,
  phone: Phone,
  url: WebUrl,
  country: Country,
  person: Uuid,
  vehicle: Uuid,
  provider: Uuid,
};

/** The schema of one field's value, from its definition. */
export function valueSchema(definition: FieldDefinition): z.ZodType {
  switch (definition.type) {
    case 'text':
      return textSchema(500, definition.sensitive);
    case 'long_text':
      return textSchema(10000, definition.sensitive);
    case 'select':
      return z.enum(definition.options ?? [], { message: `Expected one of: ${(definition.options ?? []).join(', ')}` });
    default:
      return SCHEMAS[definition.type];
  }
}

/** What a value of each type looks like, for the OpenAPI description of `fields`. */
export const TYPE_WORDS: Record<FieldType, string> = {
  text: 'string 1..500',
  long_text: 'string 1..10000',
  number: 'JSON number',
  money: '{"amount": "1250.00", "currency": "EUR"}',
  date: 'YYYY-MM-DD',
  boolean: 'true/false',
  select: 'one of the options',
  email: 'an email address',
  phone: '+ and 3..20 digits with spaces/dashes',
  url: 'an http(s) URL',
  country: 'ISO 3166-1 alpha-2 code',
  person: "id of one of the household's people",
  vehicle: "id of one of the household's vehicles",
  provider: "id of one of the household's providers",
};
